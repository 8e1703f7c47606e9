#include "report_command.hpp"

#include <filesystem>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "dated_folder.hpp"
#include "descent/report/report.hpp"

namespace descent::cli {

namespace {

struct ReportArgs {
  std::vector<std::string> sweeps;
  std::string out;
};

void run_report(const ReportArgs& args) {
  std::string out = args.out;
  // A combined report goes to a folder of its own, named by the time it was made.
  if (out.empty()) out = args.sweeps.size() == 1 ? args.sweeps.front() : dated_folder("report-");
  const std::vector<std::filesystem::path> sweeps(args.sweeps.begin(), args.sweeps.end());
  std::cout << write_report(sweeps, out).string() << "\n";
}

}  // namespace

void add_report_command(CLI::App& app) {
  auto args = std::make_shared<ReportArgs>();
  CLI::App* command = app.add_subcommand(
      "report", "Write report.html and the figures of one or more sweep folders");
  command->add_option("dirs", args->sweeps, "Sweep folders written by `descent compare`")
      ->required()
      ->check(CLI::ExistingDirectory);
  command->add_option("--out", args->out,
                      "Folder of the report (default: the sweep folder, or report-DATE-TIME "
                      "for several)");
  command->final_callback([args] { run_report(*args); });
}

}  // namespace descent::cli
