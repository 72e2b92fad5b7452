#include "coordinator/cli/truth_command.h"

#include <iostream>
#include <memory>

#include "coordinator/cli/common_options.h"
#include "coordinator/truth/truth_run.h"
#include "prober/core/response_parse.h"

namespace mxsentry {

void add_truth_command(CLI::App& app, std::function<int()>& run) {
  auto options = std::make_shared<TruthOptions>();
  auto words = std::make_shared<std::vector<std::string>>();
  CLI::App* truth = app.add_subcommand("truth", "What every authoritative server says for a name, with DNSSEC status");
  truth->add_option("name_and_types", *words, "NAME [TYPE...] (types default to A AAAA)")->required();
  add_root_options(*truth, options->root_hints, options->trust_anchor);
  truth->add_option("--repeat", options->config.repeat, "Times each server is asked")
      ->check(whole_number_check(1, 10))
      ->default_str("2");
  add_timeout_option(*truth, options->timeout_ms);
  truth->add_flag("--ipv6", options->config.ipv6, "Also ask servers over IPv6");
  truth->add_flag("--json", options->json, "One JSON object per (name, type)");
  truth->callback([&run, options, words] {
    run = [options, words] {
      std::string name = (*words)[0];
      std::vector<std::uint16_t> types;
      for (std::size_t i = 1; i < words->size(); ++i) {
        auto type = rr_type_from_name((*words)[i]);
        if (!type) {
          std::cerr << "mxsentry truth: unknown record type '" << (*words)[i] << "'\n";
          return 2;
        }
        types.push_back(*type);
      }
      if (types.empty()) types = {1, 28};
      for (auto type : types) options->questions.emplace_back(name, type);
      return run_truth(*options, std::cout, std::cerr);
    };
  });
}

}  // namespace mxsentry
