// TensorBoard event files: a run's History as scalar summaries that
// TensorBoard (and anything reading TFRecord files of tensorflow.Event
// messages) plots, written without TensorFlow or protobuf.
//
// A file is TFRecord framing (core/tfrecord.hpp) of Event messages, encoded
// by hand in protobuf's wire format with the field numbers of TensorFlow's
// tensorflow/core/util/event.proto and tensorflow/core/framework/summary.proto:
//   Event   { double wall_time = 1; int64 step = 2;
//             oneof { string file_version = 3; Summary summary = 5; } }
//   Summary { repeated Value value = 1; }
//   Value   { string tag = 1; float simple_value = 2; }
// The first event holds file_version "brain.Event:2"; then one event per step
// with that step's scalars (history_scalars.hpp: tags loss and lr per
// iteration, the epoch metrics at the step that ends an epoch), in float32.
// An event's wall_time is the run's start plus the seconds at the end of the
// step's epoch (the history times epochs, not iterations); steps after the
// last recorded epoch get its time.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "descent/train/history.hpp"

namespace descent {

// start_wall_time: when the run started, in seconds since the Unix epoch.
std::string tensorboard_events(const History& history, double start_wall_time);

// "events.out.tfevents.<whole seconds of start_wall_time>.<host>", the name
// TensorBoard looks for.
std::string event_file_name(double start_wall_time, std::string_view host);

// Writes dir/event_file_name(start_wall_time, this machine's host name)
// atomically and returns its path. The name depends only on the start and the
// host, so writing again after more epochs replaces the file.
std::filesystem::path write_tensorboard_events(const std::filesystem::path& dir,
                                               const History& history, double start_wall_time);

}  // namespace descent
