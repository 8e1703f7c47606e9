#include "descent/experiment/metrics_csv.hpp"

#include <charconv>
#include <cmath>
#include <nlohmann/json.hpp>
#include <utility>

#include "descent/core/atomic_file.hpp"
#include "descent/core/error.hpp"
#include "descent/core/text.hpp"

namespace descent {

namespace {

constexpr std::string_view kHeader = "run,step,epoch,wall_time,metric,value";

bool plain_field(std::string_view text) {
  return !text.empty() && text.find_first_of(",\"\r\n") == std::string_view::npos;
}

std::string value_text(const Scalar& s) {
  return s.float32 ? shortest(static_cast<float>(s.value)) : shortest(s.value);
}

// The whole of text as a number of type T.
template <typename T>
bool parse_number(std::string_view text, T& value) {
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  return error == std::errc() && end == text.data() + text.size();
}

// Reads one line's fields in order; errors name the line and the field.
class LineReader {
 public:
  LineReader(std::string_view line, std::string where) : rest_(line), where_(std::move(where)) {}

  std::string_view field(const char* name) {
    if (done_) fail(name, "missing (expected 6 fields)");
    const std::size_t comma = rest_.find(',');
    const std::string_view text = rest_.substr(0, comma);
    if (comma == std::string_view::npos) {
      done_ = true;
    } else {
      rest_.remove_prefix(comma + 1);
    }
    return text;
  }
  void expect_end() {
    if (!done_) fail("value", "more than 6 fields");
  }
  template <typename T>
  T number(const char* name) {
    const std::string_view text = field(name);
    T value{};
    if (!parse_number(text, value)) fail(name, "'" + std::string(text) + "' is not a number");
    return value;
  }
  std::string name(const char* field_name) {
    const std::string_view text = field(field_name);
    if (text.empty() || text.find('"') != std::string_view::npos) {
      fail(field_name, "expected a name without quotes, found '" + std::string(text) + "'");
    }
    return std::string(text);
  }
  [[noreturn]] void fail(const char* name, const std::string& what) const {
    throw FormatError(where_ + ": field '" + name + "': " + what);
  }

 private:
  std::string_view rest_;
  std::string where_;
  bool done_ = false;
};

}  // namespace

std::string metrics_csv(std::span<const RunHistory> runs) {
  std::string text = std::string(kHeader) + '\n';
  for (const RunHistory& run : runs) {
    if (!plain_field(run.run)) {
      throw ConfigError("metrics.csv: run name " + nlohmann::json(std::string(run.run)).dump() +
                        " must be non-empty, without comma, quote or line break");
    }
    for (const Scalar& s : history_scalars(run.history)) {
      text += std::string(run.run) + ',' + std::to_string(s.step) + ',' + std::to_string(s.epoch) +
              ',' + (std::isnan(s.wall_time) ? std::string() : shortest(s.wall_time)) + ',' +
              s.metric + ',' + value_text(s) + '\n';
    }
  }
  return text;
}

std::vector<MetricRow> parse_metrics_csv(std::string_view text, const std::string& source) {
  std::vector<MetricRow> rows;
  std::size_t line_number = 0;
  while (!text.empty()) {
    const std::size_t newline = text.find('\n');
    std::string_view line = text.substr(0, newline);
    text.remove_prefix(newline == std::string_view::npos ? text.size() : newline + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    ++line_number;
    const std::string where = source + ", line " + std::to_string(line_number);
    if (line_number == 1) {
      if (line != kHeader)
        throw FormatError(where + ": expected the header " + std::string(kHeader));
      continue;
    }
    LineReader fields(line, where);
    MetricRow row;
    row.run = fields.name("run");
    row.scalar.step = fields.number<std::size_t>("step");
    row.scalar.epoch = fields.number<std::size_t>("epoch");
    const std::string_view wall_time = fields.field("wall_time");
    if (!wall_time.empty() && !parse_number(wall_time, row.scalar.wall_time)) {
      fields.fail("wall_time", "'" + std::string(wall_time) + "' is not a number");
    }
    row.scalar.metric = fields.name("metric");
    row.scalar.value = fields.number<double>("value");
    fields.expect_end();
    rows.push_back(std::move(row));
  }
  if (line_number == 0)
    throw FormatError(source + ": empty (expected the header " + std::string(kHeader) + ")");
  return rows;
}

std::vector<MetricRow> read_metrics_csv(const std::filesystem::path& path) {
  return parse_metrics_csv(read_file(path), path.string());
}

}  // namespace descent
