// One subject's replay: an engine's trace turned into outcomes.
#include <fmt/format.h>

#include <algorithm>
#include <string_view>
#include <utility>

#include "compiler/trace_renderer.h"
#include "simulation/replay.h"

namespace recoup::simulation {
namespace {

using compiler::ActionKind;
using runtime::Date;
namespace abi = compiler::abi;

bool IsTouch(ActionKind kind) {
  return kind == ActionKind::Email || kind == ActionKind::Sms || kind == ActionKind::Letter ||
         kind == ActionKind::Call || kind == ActionKind::Notice;
}

const compiler::Action* PolicyAction(const compiler::PolicyIr& policy, const abi::FiringTrace& firing, std::size_t k) {
  const std::vector<compiler::Action>& actions = firing.cause == abi::CauseKind::Step
                                                     ? policy.steps.at(firing.index).actions
                                                     : policy.stops.at(firing.index).actions;
  return k < actions.size() ? &actions[k] : nullptr;
}

void AddHistory(const runtime::Ledger& ledger, InvoiceOutcome& outcome) {
  std::uint32_t i = outcome.invoice;
  for (std::uint32_t a = ledger.adjustments.ranges.begin(i); a < ledger.adjustments.ranges.end(i); ++a) {
    std::int64_t amount = ledger.adjustments.amount_minor[a];
    switch (ledger.adjustments.kind[a]) {
      case runtime::AdjustmentKind::Fee: outcome.history_fees += amount; break;
      case runtime::AdjustmentKind::Interest: outcome.history_interest += amount; break;
      case runtime::AdjustmentKind::Credit: outcome.history_credits += amount; break;
      case runtime::AdjustmentKind::WriteOff: outcome.history_write_offs += amount; break;
    }
  }
  outcome.history_actions = ledger.actions.ranges.end(i) - ledger.actions.ranges.begin(i);
}

// Each minor unit of principal is outstanding from issue, and delinquent
// from due, to the day it was paid, written off, or the horizon.
void AddPrincipalDays(InvoiceOutcome& outcome, std::int64_t principal, Date end) {
  outcome.principal_days += static_cast<__int128>(principal) * (end - outcome.issue);
  outcome.delinquent_days += static_cast<__int128>(principal) * std::max(0, end - outcome.due);
}

std::optional<Date> MaybeDate(std::int32_t day) {
  if (day == abi::kNoDate) return std::nullopt;
  return Date::FromDays(day);
}

// Clears `outcome` for a new subject, keeping its vectors' capacity.
// Field by field (the vectors are only cleared): cheaper than building a
// whole SubjectOutcome{} and moving the vectors through it. A field added
// to SubjectOutcome (outcome.h) must be cleared here too.
void Reset(SubjectOutcome& outcome) {
  outcome.customer = 0;
  outcome.invoices.clear();
  outcome.not_covered.clear();
  outcome.actions.fill(0);
  outcome.contact_cost = 0;
  outcome.action_costs.fill(0);
  outcome.touches = 0;
  outcome.collections.clear();
  outcome.error.reset();
  outcome.conservation_failure.reset();
}

// The recovery curve's raw data (docs/reports.md): one entry per payment,
// aggregated by MetricsBuilder.
void RecordCollection(SubjectOutcome& outcome, const InvoiceOutcome& invoice, Date date, std::int64_t amount) {
  outcome.collections.push_back({date - invoice.due, amount});
}

}  // namespace

void ReplaySubject(const runtime::Ledger& ledger, const compiler::PolicyIr& policy, const compiler::PolicyEngine& engine,
                   const SubjectPlan& plan, std::size_t subject, std::int32_t horizon_days, ReplayWorkspace& workspace,
                   SubjectOutcome& outcome) {
  const abi::SubjectView& view = BuildSubjectView(ledger, plan, subject, workspace.view);
  compiler::EngineOptions options;
  options.horizon = SubjectHorizon(ledger, plan, subject, horizon_days);
  options.explain = false;
  abi::Trace& trace = workspace.trace;
  engine.Run(view, options, workspace.engine, trace);
  OutcomeFromTrace(ledger, policy, plan, subject, view, trace, options.horizon, workspace, outcome);
}

void OutcomeFromTrace(const runtime::Ledger& ledger, const compiler::PolicyIr& policy, const SubjectPlan& plan,
                      std::size_t subject, const abi::SubjectView& view, const abi::Trace& trace, Date horizon,
                      ReplayWorkspace& workspace, SubjectOutcome& outcome) {
  Reset(outcome);
  outcome.customer = plan.subject_customer[subject];
  const std::uint32_t* order = plan.invoice_order.data() + plan.subject_begin[subject];
  if (trace.error.code != abi::ErrorCode::None || !trace.conservation_ok) {
    bool customer = plan.kind == compiler::SubjectKind::Customer;
    std::string_view who = customer ? "customer" : "invoice";
    std::string_view name = customer ? ledger.customer_ids.Get(outcome.customer) : ledger.invoice_ids.Get(order[0]);
    if (trace.error.code != abi::ErrorCode::None) {
      outcome.error = fmt::format("{} `{}`: {}", who, name, compiler::RenderError(policy, view, trace.error));
      return;
    }
    outcome.conservation_failure =
        fmt::format("{} `{}`: {}", who, name, compiler::RenderConservation(policy, view, trace));
  }

  std::vector<std::int32_t>& slot_of = workspace.slot_of_invoice;
  slot_of.assign(view.invoice_count, -1);
  outcome.invoices.reserve(trace.invoices.size());
  for (const abi::InvoiceTrace& summary : trace.invoices) {
    InvoiceOutcome& invoice = outcome.invoices.emplace_back();
    invoice.invoice = order[summary.invoice];
    invoice.issue = ledger.invoices.issue_date[invoice.invoice];
    invoice.due = ledger.invoices.due_date[invoice.invoice];
    invoice.horizon = horizon;
    invoice.amount = summary.totals.amount;
    invoice.fees = summary.totals.fees_charged;
    invoice.interest = summary.totals.interest_charged;
    invoice.applied = summary.totals.applied;
    invoice.written_off = summary.totals.written_off;
    invoice.open = summary.totals.open;
    invoice.settled_on = MaybeDate(summary.settled_on);
    invoice.placed_on = MaybeDate(summary.placed_on);
    AddHistory(ledger, invoice);
    slot_of[summary.invoice] = static_cast<std::int32_t>(outcome.invoices.size() - 1);
  }
  for (const abi::NotCoveredTrace& left : trace.not_covered) outcome.not_covered.push_back(order[left.invoice]);

  // In the ledger's views, invoice k of the subject is also name k.
  std::vector<std::int64_t>& principal_paid = workspace.principal_paid;
  principal_paid.assign(outcome.invoices.size(), 0);
  for (const abi::LedgerTrace& event : trace.ledger) {
    if (event.kind != abi::LedgerKind::Payment && event.kind != abi::LedgerKind::WrittenOff) continue;
    if (event.name == abi::kNoIndex || slot_of[event.name] < 0) continue;
    std::size_t slot = static_cast<std::size_t>(slot_of[event.name]);
    InvoiceOutcome& invoice = outcome.invoices[slot];
    Date date = Date::FromDays(event.date);
    if (event.kind == abi::LedgerKind::WrittenOff) {
      invoice.written_off_on = date;
      continue;
    }
    invoice.collected += event.amount;
    RecordCollection(outcome, invoice, date, event.amount);
    std::int32_t days_past_due = date - invoice.due;
#pragma GCC unroll 4
    for (std::size_t k = 0; k < kCollectedByDays.size(); ++k) {
      if (days_past_due <= kCollectedByDays[k]) invoice.collected_by[k] += event.amount;
    }
    std::int64_t applied = event.to_fees + event.to_interest + event.to_principal;
    if (invoice.placed_on && date > *invoice.placed_on) invoice.recovered_after_placement += applied;
    AddPrincipalDays(invoice, event.to_principal, date);
    principal_paid[slot] += event.to_principal;
  }
  for (std::size_t slot = 0; slot < outcome.invoices.size(); ++slot) {
    InvoiceOutcome& invoice = outcome.invoices[slot];
    AddPrincipalDays(invoice, invoice.amount - principal_paid[slot],
                     invoice.written_off_on ? *invoice.written_off_on : invoice.horizon);
  }

  // Set (and cleared) only when an agency placement needs it.
  std::vector<bool>& contingency_set = workspace.contingency_set;
  bool contingency_cleared = false;
  for (const abi::FiringTrace& firing : trace.firings) {
    for (std::uint32_t k = 0; k < firing.action_count; ++k) {
      const abi::ActionTrace& record = trace.actions[firing.first_action + k];
      auto kind = static_cast<ActionKind>(record.kind);
      outcome.actions[record.kind] += 1;
      outcome.contact_cost += record.cost;
      outcome.action_costs[record.kind] += record.cost;
      outcome.touches += IsTouch(kind) ? 1 : 0;
      if (kind != ActionKind::Agency) continue;
      const compiler::Action* action = PolicyAction(policy, firing, k);
      if (action == nullptr) continue;
      if (!contingency_cleared) {
        contingency_set.assign(outcome.invoices.size(), false);
        contingency_cleared = true;
      }
      for (std::uint32_t c = 0; c < record.invoice_count; ++c) {
        std::int32_t slot = slot_of[trace.covered[record.first_invoice + c]];
        if (slot < 0 || contingency_set[static_cast<std::size_t>(slot)]) continue;
        contingency_set[static_cast<std::size_t>(slot)] = true;
        InvoiceOutcome& invoice = outcome.invoices[static_cast<std::size_t>(slot)];
        runtime::DecimalResult factor = runtime::Divide(action->percent, runtime::Decimal{100, 0});
        runtime::MoneyResult fee =
            runtime::MultiplyRounded(runtime::Money{invoice.recovered_after_placement, plan.currency}, factor.value);
        invoice.contingency_fee = fee.ok() ? fee.value.minor : 0;
      }
    }
  }
}

}  // namespace recoup::simulation
