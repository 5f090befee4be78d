// The metrics as a list of rows, the same for every output format: a
// stable key (JSON, CSV), a label (tables), a kind saying how to print it.
#include <fmt/format.h>

#include "tools/recoup/simulate_report.h"

namespace recoup::driver {
namespace {

using simulation::Figures;
using simulation::Ratio;

FigureRow Count(std::string key, std::string label, std::uint64_t value, bool hide_when_zero = false) {
  return {std::move(key), std::move(label), FigureKind::Count, static_cast<__int128>(value), {}, hide_when_zero};
}
FigureRow Amount(std::string key, std::string label, std::int64_t value, bool hide_when_zero = false) {
  return {std::move(key), std::move(label), FigureKind::Money, value, {}, hide_when_zero};
}
FigureRow Fraction(std::string key, std::string label, FigureKind kind, Ratio value) {
  return {std::move(key), std::move(label), kind, 0, value, false};
}

}  // namespace

std::string AgingKey(std::size_t bucket) {
  std::string name = simulation::AgingBucketName(bucket);
  std::string key = name == "current" ? "current" : name == "180+" ? "over_180" : "days_" + name;
  for (char& c : key) c = c == '-' ? '_' : c;
  return "aging_" + key;
}

std::string ActionKey(std::size_t kind) {
  std::string key = compiler::ActionSpelling(static_cast<compiler::ActionKind>(kind));
  for (char& c : key) c = c == ' ' ? '_' : c;
  return key;
}

std::vector<FigureRow> FigureRows(const Figures& f) {
  std::vector<FigureRow> rows;
  rows.push_back(Count("invoices", "Invoices", f.invoices));
  rows.push_back(Count("customers", "Customers", f.customers));
  rows.push_back(Amount("invoiced", "Invoiced", f.invoiced));
  rows.push_back(Amount("collected", "Collected by the horizon", f.collected));
  for (std::size_t k = 0; k < simulation::kCollectedByDays.size(); ++k) {
    std::int32_t days = simulation::kCollectedByDays[k];
    rows.push_back(Amount(fmt::format("collected_by_{}d", days), fmt::format("Collected by due + {}d", days), f.collected_by[k]));
    rows.push_back(Fraction(fmt::format("collected_by_{}d_percent", days), fmt::format("  share of invoiced by {}d", days),
                            FigureKind::Percent, simulation::CollectedByRate(f, k)));
  }
  rows.push_back(Fraction("recovery_rate_percent", "Recovery rate", FigureKind::Percent, simulation::RecoveryRate(f)));
  rows.push_back(Fraction("dso_days", "DSO (days)", FigureKind::Days, simulation::DaysSalesOutstanding(f)));
  rows.push_back(Fraction("cei_percent", "CEI", FigureKind::Percent, simulation::CollectionEffectivenessIndex(f)));
  rows.push_back(Fraction("average_days_delinquent", "Average days delinquent", FigureKind::Days,
                          simulation::AverageDaysDelinquent(f)));
  rows.push_back(Count("settled", "Invoices paid in full", f.settled));
  rows.push_back(Amount("open_at_horizon", "Open at the horizon", f.open));
  for (std::size_t b = 0; b < simulation::kAgingBucketCount; ++b) {
    std::string name = simulation::AgingBucketName(b);
    rows.push_back(Amount(AgingKey(b), fmt::format("  aging {}", name), f.aging_amount[b]));
    rows.push_back(Count(AgingKey(b) + "_invoices", fmt::format("  aging {}: invoices", name), f.aging_invoices[b], true));
  }
  for (std::size_t a = 0; a < f.actions.size(); ++a) {
    std::string name = compiler::ActionSpelling(static_cast<compiler::ActionKind>(a));
    rows.push_back(Count("actions_" + ActionKey(a), fmt::format("Actions: {}", name), f.actions[a], true));
  }
  rows.push_back(Amount("contact_cost", "Contact cost", f.contact_cost));
  rows.push_back(Count("touches", "Touches (email, sms, letter, call, notice)", f.touches));
  rows.push_back(Fraction("touches_per_customer", "Touches per customer", FigureKind::Ratio, simulation::TouchesPerCustomer(f)));
  rows.push_back(Amount("fees_assessed", "Fees assessed", f.fees));
  rows.push_back(Amount("interest_assessed", "Interest assessed", f.interest));
  rows.push_back(Count("agency_placements", "Agency placements", f.placements));
  rows.push_back(Count("premature_placements", "  premature (paid in full soon after)", f.premature_placements));
  rows.push_back(Amount("recovered_after_placement", "  recovered after placement", f.recovered_after_placement));
  rows.push_back(Amount("contingency_fees", "  contingency fees", f.contingency_fees));
  rows.push_back(Count("write_offs", "Write-offs", f.write_offs));
  rows.push_back(Amount("written_off", "  written off", f.written_off));
  rows.push_back(Count("cut_short", "Invoices cut short by the ledger's end", f.cut_short));
  rows.push_back(Count("not_covered", "Not covered (`applies to` false)", f.not_covered));
  rows.push_back(Amount("not_covered_amount", "  their amount", f.not_covered_amount, true));
  rows.push_back(Count("history_actions", "History: actions taken (not replayed)", f.history_actions));
  rows.push_back(Amount("history_fees", "History: fees charged", f.history_fees, true));
  rows.push_back(Amount("history_interest", "History: interest charged", f.history_interest, true));
  rows.push_back(Amount("history_credits", "History: credits", f.history_credits, true));
  rows.push_back(Amount("history_write_offs", "History: written off", f.history_write_offs, true));
  return rows;
}

std::string FormatFigure(const FigureRow& row, runtime::CurrencyId currency, bool with_currency, bool signed_value) {
  switch (row.kind) {
    case FigureKind::Count: {
      std::int64_t value = static_cast<std::int64_t>(row.integer);
      return signed_value && value > 0 ? fmt::format("+{}", value) : fmt::format("{}", value);
    }
    case FigureKind::Money: {
      runtime::Money money{static_cast<std::int64_t>(row.integer), currency};
      std::string text = with_currency ? runtime::ToString(money) : runtime::ToPlainString(money);
      return signed_value && money.minor > 0 ? "+" + text : text;
    }
    case FigureKind::Percent:
    case FigureKind::Days:
    case FigureKind::Ratio: {
      int scale = row.kind == FigureKind::Percent ? 100 : 1;
      int decimals = row.kind == FigureKind::Ratio ? 2 : 1;
      std::string text = simulation::FormatRatio(row.ratio, scale, decimals);
      if (row.kind == FigureKind::Percent && text != "n/a") text += signed_value ? " pt" : "%";
      bool positive = row.ratio.numerator != 0 && (row.ratio.numerator > 0) == (row.ratio.denominator > 0);
      return signed_value && positive && text != "n/a" && text[0] != '-' ? "+" + text : text;
    }
  }
  return "";
}

FigureRow NetRecoveredRow(const Figures& f) {
  return Amount("net_recovered", "Net recovered", f.collected - f.contact_cost - f.contingency_fees);
}

const std::vector<std::string>& HeadlineKeys() {
  static const std::vector<std::string> kKeys = {
      "collected", "recovery_rate_percent", "contact_cost", "contingency_fees", "net_recovered",
      "dso_days",  "cei_percent",           "average_days_delinquent", "touches", "touches_per_customer"};
  return kKeys;
}

FigureRow DifferenceRow(const FigureRow& row, const FigureRow& baseline) {
  FigureRow difference = row;
  difference.integer = row.integer - baseline.integer;
  difference.ratio = simulation::Difference(row.ratio, baseline.ratio);
  return difference;
}

}  // namespace recoup::driver
