// TFRecord framing, the container of TensorFlow's record files and of
// TensorBoard's event files (tensorflow/core/lib/io/record_writer.h):
//   length            uint64, little-endian
//   masked CRC-32C    uint32, little-endian, of the 8 length bytes
//   data              length bytes
//   masked CRC-32C    uint32, little-endian, of the data
#pragma once

#include <string>
#include <string_view>

namespace descent {

void append_tfrecord(std::string& out, std::string_view data);

}  // namespace descent
