#include "support/png_image.hpp"

#include <png.h>

#include <cstdlib>
#include <stdexcept>

namespace descent::testing {

Image decode_png(const std::filesystem::path& path) {
  png_image png{};
  png.version = PNG_IMAGE_VERSION;
  if (!png_image_begin_read_from_file(&png, path.c_str())) {
    throw std::runtime_error("not a PNG: " + path.string() + ": " + png.message);
  }
  png.format = PNG_FORMAT_RGB;
  Image image{png.width, png.height, std::vector<unsigned char>(PNG_IMAGE_SIZE(png))};
  if (!png_image_finish_read(&png, nullptr, image.rgb.data(), 0, nullptr)) {
    throw std::runtime_error("cannot decode " + path.string() + ": " + png.message);
  }
  return image;
}

bool near_color(const unsigned char* pixel, const std::string& color, int tolerance) {
  for (int i = 0; i < 3; ++i) {
    const int channel =
        std::stoi(color.substr(1 + 2 * static_cast<std::size_t>(i), 2), nullptr, 16);
    if (std::abs(pixel[i] - channel) > tolerance) return false;
  }
  return true;
}

std::size_t pixels_of(const Image& image, const std::string& color, int tolerance) {
  std::size_t count = 0;
  for (std::size_t p = 0; p < image.rgb.size(); p += 3) {
    if (near_color(&image.rgb[p], color, tolerance)) ++count;
  }
  return count;
}

}  // namespace descent::testing
