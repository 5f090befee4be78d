// `recoup explain POLICY --amount ... --issue ... --due ...`: one subject's
// day-by-day timeline under a policy, with which step fired and why, the
// steps that did not fire and why, and what is owed at the horizon.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "compiler/interpreter.h"
#include "compiler/policy_ir.h"
#include "language/source.h"
#include "tools/recoup/check_command.h"
#include "tools/recoup/driver.h"
#include "tools/recoup/engine_option.h"

namespace CLI {
class App;
}

namespace recoup::driver {

// The flags as written; RunExplain parses and validates them.
struct ExplainOptions {
  std::string file;
  std::string id = "INV-1";
  std::string amount;
  std::string currency;  // empty: the policy currency
  std::string issue;
  std::string due;
  std::vector<std::string> invoices;             // ID:AMOUNT:ISSUE:DUE
  std::vector<std::string> customer_attributes;  // key=value
  std::vector<std::string> invoice_attributes;   // key=value, for every invoice
  std::vector<std::string> payments;             // DATE:AMOUNT[:INVOICE]
  std::vector<std::string> disputes;             // OPENED[:RESOLVED[:INVOICE]]
  std::vector<std::string> promises;             // PROMISED[:MADE[:INVOICE]]
  std::string horizon = "180d";                  // Nd after the latest due date, or a date
  OutputFormat format = OutputFormat::Text;
  EngineSelection engine;
  std::string report;                            // --report FILE: also the HTML timeline there
};

// Registers the `explain` subcommand, filling `options` when it is parsed.
CLI::App* AddExplain(CLI::App& app, ExplainOptions& options);

int RunExplain(const ExplainOptions& options, Environment& environment);

// The subject and horizon the flags describe, or the first problem with
// them as a plain sentence naming the flag (explain_facts.cpp).
std::optional<std::string> BuildExplainFacts(const ExplainOptions& options, const compiler::PolicyIr& policy,
                                             compiler::SubjectFacts& facts, compiler::InterpretOptions& run);

// What the renderers need besides the result.
struct ExplainView {
  const compiler::PolicyIr& policy;
  const language::SourceSet& sources;
  const compiler::SubjectFacts& facts;
  const compiler::InterpretResult& result;
  std::string main_path;
};

// The timeline for a person, and the same as JSON data.
std::string RenderExplainText(const ExplainView& view);
std::string RenderExplainJson(const ExplainView& view);

// The timeline as a self-contained HTML page with the timeline drawn on a
// time axis (explain_html.cpp); `policy_sha256` names the file's bytes.
std::string RenderExplainHtml(const ExplainView& view, const std::string& policy_sha256, const std::string& version);

// One action or ledger event as the text timeline words it.
std::string ExplainActionLine(const compiler::ActionRecord& action, bool customer);
std::string ExplainLedgerLine(const ExplainView& view, const compiler::LedgerEvent& event);

// Shared by both renderers: "line 12", "`final` (line 12)", "stop rule (line 9)".
std::string DescribeCause(const ExplainView& view, compiler::Cause cause);
// The trigger as written, whitespace collapsed: "at due + 30d".
std::string TriggerText(const ExplainView& view, compiler::StepId step);
// "due+30", "due-7", "due" for `date` against the earliest due date.
std::string RelativeToDue(const ExplainView& view, runtime::Date date);
// A stable code for a reason, for JSON: "guard_false".
const char* NotFiredReasonCode(compiler::NotFiredReason reason);

}  // namespace recoup::driver
