// PNG files decoded for tests that check what a figure shows.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

namespace descent::testing {

struct Image {
  unsigned width = 0, height = 0;
  std::vector<unsigned char> rgb;  // (height, width, 3)

  const unsigned char* at(unsigned x, unsigned y) const { return &rgb[(y * width + x) * 3]; }
};

// std::runtime_error naming the file if it is not a PNG that decodes.
Image decode_png(const std::filesystem::path& path);

// Whether the pixel is within `tolerance` of the colour "#rrggbb" in each channel.
bool near_color(const unsigned char* pixel, const std::string& color, int tolerance = 24);

// Pixels within `tolerance` of the colour.
std::size_t pixels_of(const Image& image, const std::string& color, int tolerance = 24);

}  // namespace descent::testing
