// CSV data sets: label first, then the features, one sample per line.
#include "descent/data/csv.hpp"

#include <charconv>
#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include "descent/core/atomic_file.hpp"
#include "descent/core/error.hpp"

namespace descent {

namespace {

// Labels index the network's outputs, so a stray huge label would size a
// huge output layer; beyond this it is taken as a corrupt file.
constexpr std::int32_t kMaxClasses = 1 << 16;

std::string_view trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t");
  return text.substr(first, last - first + 1);
}

std::vector<std::string_view> split_fields(std::string_view line) {
  std::vector<std::string_view> fields;
  std::size_t start = 0;
  for (;;) {
    const auto comma = line.find(',', start);
    fields.push_back(trim(line.substr(start, comma - start)));
    if (comma == std::string_view::npos) return fields;
    start = comma + 1;
  }
}

// A field as it appears in a message: quoted, shortened, printable.
std::string quoted(std::string_view field) {
  constexpr std::size_t kShown = 32;
  std::string text = "'";
  for (std::size_t i = 0; i < field.size() && i < kShown; ++i) {
    const auto c = static_cast<unsigned char>(field[i]);
    text += (c >= 0x20 && c < 0x7f) ? static_cast<char>(c) : '?';
  }
  if (field.size() > kShown) text += "...";
  return text + "'";
}

std::optional<float> parse_number(std::string_view field) {
  float value = 0.0f;
  const char* end = field.data() + field.size();
  const auto [stop, error] = std::from_chars(field.data(), end, value);
  if (error != std::errc() || stop != end || !std::isfinite(value)) return std::nullopt;
  return value;
}

std::optional<std::int32_t> parse_label(std::string_view field) {
  std::int32_t value = 0;
  const char* end = field.data() + field.size();
  const auto [stop, error] = std::from_chars(field.data(), end, value);
  if (error != std::errc() || stop != end || value < 0 || value >= kMaxClasses) return std::nullopt;
  return value;
}

bool all_numbers(const std::vector<std::string_view>& fields) {
  for (const auto field : fields) {
    if (!parse_number(field)) return false;
  }
  return true;
}

class CsvParser {
 public:
  explicit CsvParser(const std::string& source) : source_(source) {}

  void add_line(std::string_view line, std::size_t number) {
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (trim(line).empty()) {
      if (first_blank_line_ == 0) first_blank_line_ = number;
      return;
    }
    if (first_blank_line_ != 0) {
      fail(first_blank_line_,
           "expected a data row, found a blank line (blank lines may only end the file)");
    }
    const auto fields = split_fields(line);
    if (number == 1 && !all_numbers(fields)) {
      header_fields_ = fields.size();
      return;
    }
    add_row(fields, number);
  }

  Dataset finish() {
    if (labels_.empty()) fail("expected at least one data row, found none");
    Dataset data;
    data.labels = std::move(labels_);
    data.num_classes = max_label_ + 1;
    data.features = ConstMatrixMap(values_.data(), static_cast<Eigen::Index>(data.labels.size()),
                                   static_cast<Eigen::Index>(num_fields_ - 1));
    return data;
  }

 private:
  void add_row(const std::vector<std::string_view>& fields, std::size_t number) {
    if (num_fields_ == 0) {
      if (fields.size() < 2) {
        fail(number, "expected a label and at least one feature, found " +
                         std::to_string(fields.size()) + " field");
      }
      if (header_fields_ != 0 && header_fields_ != fields.size()) {
        fail(1, "expected a header of " + std::to_string(fields.size()) +
                    " fields like the data, found " + std::to_string(header_fields_));
      }
      num_fields_ = fields.size();
    }
    if (fields.size() != num_fields_) {
      fail(number, "expected " + std::to_string(num_fields_) + " fields, found " +
                       std::to_string(fields.size()));
    }
    const auto label = parse_label(fields[0]);
    if (!label) {
      fail(number, 1,
           "expected a label in [0, " + std::to_string(kMaxClasses) + "), found " +
               quoted(fields[0]));
    }
    for (std::size_t f = 1; f < fields.size(); ++f) {
      const auto value = parse_number(fields[f]);
      if (!value)
        fail(number, f + 1, "expected a finite decimal number, found " + quoted(fields[f]));
      values_.push_back(*value);
    }
    labels_.push_back(*label);
    max_label_ = std::max(max_label_, *label);
  }

  [[noreturn]] void fail(const std::string& what) const {
    throw FormatError(source_ + ": " + what);
  }
  [[noreturn]] void fail(std::size_t line, const std::string& what) const {
    fail("line " + std::to_string(line) + ": " + what);
  }
  [[noreturn]] void fail(std::size_t line, std::size_t field, const std::string& what) const {
    fail("line " + std::to_string(line) + ", field " + std::to_string(field) + ": " + what);
  }

  const std::string& source_;
  std::size_t header_fields_ = 0;
  std::size_t num_fields_ = 0;
  std::size_t first_blank_line_ = 0;
  std::int32_t max_label_ = 0;
  std::vector<std::int32_t> labels_;
  std::vector<float> values_;  // (n, num_fields_ - 1) row-major
};

}  // namespace

Dataset parse_csv(std::string_view text, const std::string& source) {
  CsvParser parser(source);
  std::size_t number = 1;
  std::size_t start = 0;
  while (start < text.size()) {
    const auto newline = text.find('\n', start);
    const auto end = newline == std::string_view::npos ? text.size() : newline;
    parser.add_line(text.substr(start, end - start), number);
    start = end + 1;
    ++number;
  }
  return parser.finish();
}

Dataset read_csv(const std::filesystem::path& path) {
  return parse_csv(read_file(path), path.string());
}

}  // namespace descent
