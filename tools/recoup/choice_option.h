// An option whose value is one word out of a fixed list (`--format text|json`),
// with a plain error naming the choices instead of CLI11's default text.
#pragma once

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <string>
#include <utility>
#include <vector>

namespace recoup::driver {

template <typename Value>
CLI::Option* AddChoiceOption(CLI::App* app, const std::string& name, Value& target,
                             std::vector<std::pair<std::string, Value>> choices, const std::string& description) {
  std::string words;
  for (const auto& choice : choices) words += (words.empty() ? "" : "|") + choice.first;
  CLI::Validator validator(
      [choices, words](std::string& value) -> std::string {
        for (const auto& choice : choices) {
          if (choice.first == value) return "";
        }
        return fmt::format("`{}` is not one of {}", value, words);
      },
      "");
  return app
      ->add_option_function<std::string>(
          name,
          [&target, choices](const std::string& value) {
            for (const auto& choice : choices) {
              if (choice.first == value) target = choice.second;
            }
          },
          description)
      ->check(validator)
      ->type_name(words);
}

}  // namespace recoup::driver
