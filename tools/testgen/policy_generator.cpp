// The structure of a generated policy: imports, header lines, definitions
// (constants, attributes, a calendar, a cost table, a template), steps with
// every trigger form and every action, pauses, stops, `use` lines and a
// policy test. Expressions and anchors are in policy_expressions.cpp.
#include "tools/testgen/policy_generator.h"

#include <fmt/format.h>

#include <algorithm>

#include "tools/testgen/policy_writer.h"

namespace recoup::testgen {

std::string GeneratePolicy(std::uint64_t seed, std::uint64_t case_index) {
  return internal::PolicyWriter(seed, case_index).Write();
}

namespace internal {
namespace {

// Stream purpose words, so the policy and the subject of one case draw
// from independent streams.
constexpr std::uint64_t kPolicyStream = 0x706F6C696379ULL;  // "policy"

const std::vector<std::string> kTemplates = {"reminder-1", "overdue", "final-notice", "statement", "relance \"urgente\"",
                                             "rappel-é", "notice-😀", "second\\reminder"};
const std::vector<std::string> kAgencies = {"Alacrity", "Baker & Co", "Recover-All"};
const std::vector<std::string> kQueues = {"credit-desk", "collections", "key-accounts"};

}  // namespace

PolicyWriter::PolicyWriter(std::uint64_t seed, std::uint64_t case_index)
    : random_(seed, kPolicyStream, case_index), case_index_(case_index) {}

std::string PolicyWriter::Write() {
  PlanPolicy();
  WriteImports();
  WriteHeader();
  WriteDefinitions();
  std::vector<std::size_t> use_positions;
  for (std::size_t i = 0; i < uses_.size(); ++i) use_positions.push_back(static_cast<std::size_t>(Between(0, static_cast<std::int64_t>(step_count_))));
  for (std::size_t i = 0; i <= step_count_; ++i) {
    for (std::size_t u = 0; u < uses_.size(); ++u) {
      if (use_positions[u] == i) Line(uses_[u]);
    }
    if (i < step_count_) WriteStep(i);
  }
  WritePauses();
  WriteStops();
  if (Chance(0.1)) WriteTest();
  return std::move(out_);
}

void PolicyWriter::PlanPolicy() {
  static const CurrencyChoice kCurrencies[] = {{"USD", 2, 1}, {"EUR", 2, 1}, {"JPY", 0, 100}, {"BHD", 3, 1}};
  currency_ = kCurrencies[Weighted({4, 3, 2, 1})];
  customer_subject_ = Chance(0.35);
  step_count_ = static_cast<std::size_t>(Between(1, 7));
  for (std::size_t i = 0; i < step_count_; ++i) labels_.push_back(Chance(0.6) ? fmt::format("s{}", i + 1) : "");
  switch (Weighted({35, 10, 20, 15, 15, 5})) {
    case 0: break;
    case 1: calendar_ = "weekends"; break;
    case 2: calendar_ = "us_federal"; imports_.push_back("import \"stdlib/calendars/us-federal.recoup\""); break;
    case 3: calendar_ = "eu_target2"; imports_.push_back("import \"stdlib/calendars/eu-target2.recoup\""); break;
    case 4: calendar_ = "gen_calendar"; break;
    default: calendar_ = "weekends_only"; imports_.push_back("import \"stdlib/calendars/weekends.recoup\""); break;
  }
  auto duration_argument = [&](std::int64_t low, std::int64_t high) { return DurationLiteral(Between(low, high), true); };
  if (Chance(0.1)) {
    bool alias = Chance(0.5);
    imports_.push_back(std::string("import \"stdlib/templates/net-30.recoup\"") + (alias ? " as n30" : ""));
    std::string courtesy = duration_argument(1, 7);
    std::string first_grace = duration_argument(3, 10);
    std::string second_grace = duration_argument(20, 35);
    std::string final_grace = duration_argument(40, 60);
    std::string call_grace = duration_argument(3, 10);
    uses_.push_back(fmt::format("use {}net_30(courtesy: {}, first_grace: {}, second_grace: {}, final_grace: {}, call_grace: {})",
                                alias ? "n30." : "", courtesy, first_grace, second_grace, final_grace, call_grace));
  }
  if (Chance(0.07)) {
    imports_.push_back("import \"stdlib/templates/service-suspension-ladder.recoup\"");
    std::string reminder_after = duration_argument(5, 15);
    std::string hold_after = duration_argument(20, 40);
    std::string suspend_after = duration_argument(45, 70);
    std::string hold_balance = MoneyLiteral(100, 5000);
    std::string suspend_balance = MoneyLiteral(1000, 15000);
    uses_.push_back(fmt::format(
        "use service_suspension_ladder(reminder_after: {}, hold_after: {}, suspend_after: {}, hold_balance: {}, "
        "suspend_balance: {})",
        reminder_after, hold_after, suspend_after, hold_balance, suspend_balance));
  }
  if (Chance(0.07)) {
    imports_.push_back("import \"stdlib/templates/healthcare.recoup\"");
    std::string agency_name = TextLiteral(kAgencies);
    std::string agency_share = PercentLiteral(10, 40);
    std::string referral_minimum = MoneyLiteral(50, 2000);
    uses_.push_back(fmt::format("use healthcare(agency_name: {}, agency_share: {}, referral_minimum: {})", agency_name,
                                agency_share, referral_minimum));
  }
  if (std::string(currency_.code) == "EUR" && Chance(0.3)) {
    imports_.push_back("import \"stdlib/templates/eu-late-payment.recoup\" as eu");
    uses_.push_back(fmt::format("use eu.statutory_compensation(reference_rate: {})", PercentLiteral(0, 5)));
  }
}

void PolicyWriter::WriteImports() {
  for (const std::string& line : imports_) Line(line);
}

void PolicyWriter::WriteHeader() {
  Line(fmt::format("policy \"Generated policy {}\"", case_index_));
  if (Chance(0.5)) {
    std::int64_t major = Between(0, 3);
    std::int64_t minor = Between(0, 9);
    Line(fmt::format("version \"{}.{}\"", major, minor));
  }
  Line(fmt::format("currency {}", currency_.code));
  if (!calendar_.empty()) Line("calendar " + calendar_);
  if (customer_subject_) {
    Line("subject customer");
  } else if (Chance(0.3)) {
    Line("subject invoice");
  }
  if (Chance(0.4)) Line(Chance(0.5) ? "after agency: continue" : "after agency: stop");
  if (Chance(0.3)) {
    std::vector<std::string> parts = {"fees", "interest", "principal"};
    for (std::size_t i = 2; i > 0; --i) std::swap(parts[i], parts[static_cast<std::size_t>(Between(0, static_cast<std::int64_t>(i)))]);
    Line(fmt::format("payments settle {}, {}, {}", parts[0], parts[1], parts[2]));
  }
}

void PolicyWriter::WriteCostEntries(int count) {
  static const std::vector<std::string> kKinds = {"email", "sms", "letter", "call", "notice", "task", "fee", "interest",
                                                  "suspend service", "resume service", "hold credit", "release credit",
                                                  "agency", "legal", "write off"};
  std::vector<std::string> kinds = kKinds;
  for (int i = 0; i < count && !kinds.empty(); ++i) {
    auto at = static_cast<std::size_t>(Between(0, static_cast<std::int64_t>(kinds.size()) - 1));
    Line(fmt::format("    {} {}", kinds[at], MoneyLiteral(0, 20)));
    kinds.erase(kinds.begin() + static_cast<std::ptrdiff_t>(at));
  }
}

void PolicyWriter::WriteDefinitions() {
  // Constants of every kind a step can use.
  std::int64_t constants = Between(0, 5);
  for (std::int64_t i = 0; i < constants; ++i) {
    std::string name = fmt::format("k{}", i + 1);
    NamedValue value{name, Kind::Money};
    std::string text;
    switch (Weighted({3, 3, 2, 1.5, 1.5, 1.5, 0, 1, 1})) {
      case 0: value.kind = Kind::Money; text = MoneyLiteral(5, 120); break;
      case 1: {
        value.kind = Kind::Duration;
        text = DurationLiteral(Between(3, 30), true);
        value.business_days = text.find("bd") != std::string::npos || text.find("business") != std::string::npos;
        break;
      }
      case 2: value.kind = Kind::Percent; text = PercentLiteral(1, 10); break;
      case 3: {
        value.kind = Kind::Rate;
        const NamedValue* percent = FindNamed(Kind::Percent, false, false, true);
        text = percent ? "(" + percent->name + " + 8%) per year" : PercentLiteral(2, 12) + " per year";
        break;
      }
      case 4: value.kind = Kind::Count; text = fmt::format("{}", Between(1, 4)); break;
      case 5: value.kind = Kind::Text; text = TextLiteral(kTemplates); break;
      case 7: value.kind = Kind::Date; text = DateLiteral(); break;
      default: value.kind = Kind::Number; text = fmt::format("{}.5", Between(0, 3)); break;
    }
    Line(fmt::format("const {} = {}", name, text));
    named_.push_back(value);
  }
  // Attributes of every type, on the invoice or the customer.
  std::int64_t attributes = Between(0, 4);
  for (std::int64_t i = 0; i < attributes; ++i) {
    auto kind = static_cast<Kind>(Between(0, kKindCount - 1));
    bool on_invoice = Chance(0.5);
    std::string name = fmt::format("a{}_{}", i + 1, KindName(kind));
    Line(fmt::format("attribute {}.{}: {}", on_invoice ? "invoice" : "customer", name, KindName(kind)));
    named_.push_back({fmt::format("{}.{}", on_invoice ? "invoice" : "customer", name), kind, false, false, true});
  }
  if (calendar_ == "gen_calendar") WriteCalendarDefinition();
  if (Chance(0.3)) {
    if (Chance(0.5)) {
      WriteCostTableDefinition();
      Line("costs gen_costs");
    } else {
      Line("costs {");
      WriteCostEntries(static_cast<int>(Between(1, 4)));
      Line("}");
    }
  }
  if (Chance(0.3)) {
    if (Chance(0.3)) Line("applies to " + Condition(1));
    else Line("applies to invoice.amount >= " + MoneyLiteral(0, 2000));
  }
  if (Chance(0.35)) WriteTemplateDefinition();
}

void PolicyWriter::WriteCalendarDefinition() {
  static const std::vector<std::string> kDays = {"mon", "tue", "wed", "thu", "fri", "sat", "sun",
                                                 "monday", "friday", "saturday", "sunday"};
  Line("calendar gen_calendar {");
  switch (Weighted({4, 2, 1})) {
    case 0: Line("    weekend sat, sun"); break;
    case 1: Line("    weekend fri, saturday"); break;
    default: Line("    weekend sun"); break;
  }
  std::vector<std::string> seen;
  for (std::int64_t i = 0, n = Between(0, 6); i < n; ++i) {
    std::string day = DateLiteral();
    if (std::find(seen.begin(), seen.end(), day) != seen.end()) continue;
    seen.push_back(day);
    Line(fmt::format("    holiday {}{}", day, Chance(0.5) ? " \"closed\"" : ""));
  }
  Line("}");
}

void PolicyWriter::WriteCostTableDefinition() {
  Line("costs gen_costs {");
  WriteCostEntries(static_cast<int>(Between(1, 15)));
  Line("}");
}

void PolicyWriter::WriteTemplateDefinition() {
  Line("template gen_ladder(p_gap: duration, p_fee: money, p_share: percent, p_name: text, p_times: count) {");
  in_template_ = true;
  params_ = {{"p_gap", Kind::Duration, true}, {"p_fee", Kind::Money}, {"p_share", Kind::Percent},
             {"p_name", Kind::Text}, {"p_times", Kind::Count}};
  std::int64_t steps = Between(1, 3);
  for (std::int64_t i = 0; i < steps; ++i) {
    std::string trigger;
    if (Chance(0.7)) {
      trigger = "at " + Anchor(0, 0);
    } else {
      std::string from = Anchor(0, 0);
      trigger = "every p_gap from " + from + (Chance(0.7) ? " max p_times times" : " until due + 90d");
    }
    std::string line = "    " + trigger + ": " + Actions(static_cast<int>(Between(1, 2)), true);
    if (Chance(0.4)) line += " if invoice.balance > p_fee";
    Line(line);
  }
  if (Chance(0.3)) Line(std::string("    pause on promise + p_gap") + (Chance(0.5) ? ": skip" : ""));
  if (Chance(0.3)) Line("    stop when invoice.balance < p_fee: write off");
  Line("}");
  in_template_ = false;
  params_.clear();
  for (std::int64_t i = 0, n = Between(1, 2); i < n; ++i) {
    std::string gap = DurationLiteral(Between(3, 20), true);
    std::string fee = MoneyLiteral(1, 80);
    std::string share = PercentLiteral(0, 12);
    std::string name = TextLiteral(kTemplates);
    std::int64_t times = Between(0, 4);
    uses_.push_back(fmt::format("use gen_ladder(p_gap: {}, p_fee: {}, p_share: {}, p_name: {}, p_times: {})", gap, fee,
                                share, name, times));
  }
}

void PolicyWriter::WriteTrigger(std::size_t index) {
  switch (Weighted({65, 10, 25})) {
    case 0: out_ += "at " + Anchor(4, index); break;
    case 1: {
      std::string label = Label(index);
      std::vector<std::string> bases = {"due", "issue", "promise"};
      if (!label.empty()) bases.push_back(label);
      bool before = Chance(0.4);
      std::string duration = DurationLiteral(before ? Between(1, 15) : Between(1, 60), true);
      out_ += duration + (before ? " before " : " after ") + Pick(bases);
      break;
    }
    default: {
      const NamedValue* named = Chance(0.2) ? FindNamed(Kind::Duration, false, false, true) : nullptr;
      std::string period = named ? named->name : DurationLiteral(Between(3, 30), true);
      out_ += "every " + period + " from " + Anchor(3, index);
      std::vector<std::string> others;
      for (std::size_t i = 0; i < labels_.size(); ++i) {
        if (i != index && !labels_[i].empty()) others.push_back(labels_[i]);
      }
      switch (Weighted({4, 2.5, others.empty() ? 0.0 : 2, 1.5})) {
        case 0: break;
        case 1: out_ += " until agency"; break;
        case 2: {
          std::string until = Pick(others);
          out_ += " until " + until + (Chance(0.3) ? " + 5d" : "");
          break;
        }
        default: out_ += " until due" + Offsets({20, 150}, true); break;
      }
      if (Chance(0.5)) out_ += " max " + Constant(Kind::Count, {1, 5}) + " times";
      break;
    }
  }
}

void PolicyWriter::WriteStep(std::size_t index) {
  if (!labels_[index].empty()) out_ += labels_[index] + ": ";
  WriteTrigger(index);
  out_ += ": " + Actions(static_cast<int>(Weighted({0, 6, 3, 1})), false);
  switch (Weighted({40, 45, 15})) {
    case 0: break;
    case 1: out_ += "\n    if " + Condition(0); break;
    default: out_ += " unless " + Condition(0); break;
  }
  out_ += "\n";
}

std::string PolicyWriter::Actions(int count, bool in_template) {
  std::string text;
  for (int i = 0; i < count; ++i) text += (i ? ", " : "") + Action(in_template);
  return text;
}

std::string PolicyWriter::Action(bool in_template) {
  switch (Weighted({10, 4, 6, 4, 3, 3, 4, 4, 3, 1.5, 1, 1.5, 1, 1.5, 1, 1})) {
    case 0: return "email " + Constant(Kind::Text, {});
    case 1: return "sms " + Constant(Kind::Text, {});
    case 2: return "letter " + Constant(Kind::Text, {});
    case 3: return Chance(0.5) ? "call" : "call " + Constant(Kind::Text, {});
    case 4: return "notice " + Constant(Kind::Text, {});
    case 5: {
      std::string what = TextLiteral({"review credit limit", "call the CFO"});
      const char* to = Chance(0.5) ? " queue " : " owner ";
      return "task " + what + to + TextLiteral(kQueues);
    }
    case 6: return "fee " + Constant(Kind::Money, {5, 100});
    case 7: {
      std::string share = in_template && Chance(0.5) ? std::string("p_share") : PercentLiteral(0.5, 10);
      std::string fee = "fee " + share + (Chance(0.5) ? " of balance" : " of amount");
      if (in_template) return fee + (Chance(0.5) ? " min p_fee" : "");
      bool min = Chance(0.5);
      bool max = Chance(0.5);
      if (min) fee += " min " + MoneyLiteral(5, 50);
      if (max) fee += " max " + MoneyLiteral(60, 1000);
      return fee;
    }
    case 8: {
      std::string rate;
      switch (Weighted({3, in_template ? 2.0 : 0, 1, 1})) {
        case 0: rate = PercentLiteral(1, 15) + " per year"; break;
        case 1: rate = "(p_share + 8%) per year"; break;
        case 2: rate = Constant(Kind::Rate, {2, 12}); break;
        default: rate = "(" + PercentLiteral(0, 5) + " + 8%) per year"; break;
      }
      std::string from;
      if (Chance(0.5)) from = " from " + Anchor(in_template ? 0 : 2, in_template ? 0 : step_count_);
      return "interest " + rate + from;
    }
    case 9: return "suspend service";
    case 10: return "resume service";
    case 11: return "hold credit";
    case 12: return "release credit";
    case 13: {
      std::string agency = TextLiteral(kAgencies);
      return "agency " + agency + " contingency " + Constant(Kind::Percent, {5, 40});
    }
    case 14: return Chance(0.5) ? "legal" : "legal " + TextLiteral(kAgencies);
    default: return "write off";
  }
}

void PolicyWriter::WritePauses() {
  if (Chance(0.35)) {
    static const char* const kRules[] = {"", ": defer", ": skip"};
    Line(std::string("pause on dispute") + kRules[Weighted({2, 1, 1.5})]);
  }
  if (Chance(0.3)) {
    std::string grace = Chance(0.6) ? " + " + DurationLiteral(Between(0, 10), true) : "";
    static const char* const kRules[] = {"", ": defer", ": skip"};
    Line("pause on promise" + grace + kRules[Weighted({2, 1, 1.5})]);
  }
}

void PolicyWriter::WriteStops() {
  if (Chance(0.25)) {
    Line(std::string("stop when paid") + (Chance(0.5) ? ": " + Actions(static_cast<int>(Between(1, 2)), false) : ""));
  }
  if (Chance(0.35)) {
    std::string condition = Chance(0.6) ? "invoice.balance < " + MoneyLiteral(1, 300) : Condition(1);
    std::string actions;
    switch (Weighted({3, 1, 1.5})) {
      case 0: actions = ": write off"; break;
      case 1: break;
      default: actions = ": " + Actions(static_cast<int>(Between(1, 2)), false); break;
    }
    Line("stop when " + condition + actions);
  }
}

void PolicyWriter::WriteTest() {
  Line("test \"generated\" {");
  Line(fmt::format("    invoice {} issued 2026-01-01 due 2026-01-31", MoneyLiteral(100, 5000)));
  if (Chance(0.5)) Line("    customer segment = \"strategic\", country = \"DE\"");
  if (Chance(0.5)) Line(fmt::format("    payment {} on 2026-02-15", MoneyLiteral(10, 100)));
  if (Chance(0.3)) Line("    dispute from 2026-02-01 to 2026-02-05");
  if (Chance(0.3)) Line("    promise 2026-03-01");
  Line("    horizon 90d");
  Line("    expect never legal");
  Line("}");
}

}  // namespace internal
}  // namespace recoup::testgen
