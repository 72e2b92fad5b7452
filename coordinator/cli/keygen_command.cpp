#include "coordinator/cli/keygen_command.h"

#include <iostream>
#include <memory>

#include "protocol/curve_keys.h"

namespace mxsentry {

void add_keygen_command(CLI::App& app, std::function<int()>& run) {
  auto base = std::make_shared<std::string>();
  CLI::App* keygen = app.add_subcommand("keygen", "Make a CurveZMQ key pair: DIR/NAME.key (secret) and DIR/NAME.pub");
  keygen->add_option("base", *base, "DIR/NAME: where the two files go")->required();
  keygen->callback([&run, base] {
    run = [base] {
      try {
        CurveKeyPair keys = generate_curve_keys();
        write_curve_keys(*base, keys);
        std::cout << *base << ".pub " << keys.public_key << "\n";
        return 0;
      } catch (const KeyError& e) {
        std::cerr << "mxsentry keygen: " << e.what() << "\n";
        return 2;
      }
    };
  });
}

}  // namespace mxsentry
