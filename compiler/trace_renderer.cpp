#include "compiler/trace_renderer.h"

#include <fmt/format.h>

#include "compiler/engine_internal.h"
#include "compiler/interpreter_expression.h"
#include "runtime/money.h"

namespace recoup::compiler {
namespace {

using abi::kNoDate;
using abi::kNoIndex;

std::string Name(const abi::SubjectView& subject, std::int32_t name) {
  if (name == kNoIndex) return "";
  return std::string(subject.names[name].data, subject.names[name].size);
}

std::string InvoiceName(const abi::SubjectView& subject, std::int32_t invoice) {
  return Name(subject, subject.invoices[invoice].name);
}

runtime::Date AsDate(std::int32_t day) { return runtime::Date::FromDays(day); }

std::optional<runtime::Date> MaybeDate(std::int32_t day) {
  if (day == kNoDate) return std::nullopt;
  return AsDate(day);
}

struct Renderer {
  const PolicyIr& policy;
  const abi::SubjectView& subject;
  const abi::Trace& trace;

  runtime::Money Money(std::int64_t minor) const { return runtime::Money{minor, policy.header.currency}; }

  std::string StepName(StepId id) const {
    const Step& step = policy.steps.at(id);
    if (step.label) return "`" + *step.label + "`";
    return fmt::format("step {}", id + 1);
  }

  std::string AttributeName(AttributeId id) const {
    const Attribute& attribute = policy.attributes.at(id);
    return fmt::format("{}.{}", attribute.object == AttributeObject::Invoice ? "invoice" : "customer", attribute.name);
  }

  std::string ReadName(const abi::GuardReadRecord& read) const {
    switch (read.kind) {
      case abi::ReadKind::Field: return FieldSpelling(static_cast<Field>(read.id));
      case abi::ReadKind::Attribute: return AttributeName(read.id);
      case abi::ReadKind::Today: return "today";
      case abi::ReadKind::Fired: return fmt::format("fired({})", policy.steps.at(read.id).label.value_or("?"));
    }
    return "?";
  }

  std::vector<GuardRead> Reads(std::uint32_t first, std::uint32_t count) const {
    std::vector<GuardRead> reads;
    reads.reserve(count);
    for (std::uint32_t i = first; i < first + count; ++i) {
      const abi::GuardReadRecord& read = trace.reads[i];
      reads.push_back({ReadName(read), interpreter::FormatValue(abi::ToIrValue(read.value))});
    }
    return reads;
  }

  std::string Detail(const abi::Detail& detail) const {
    switch (detail.kind) {
      case abi::DetailKind::None: return "";
      case abi::DetailKind::Date: return AsDate(detail.date).ToIso();
      case abi::DetailKind::Integer: return fmt::format("{}", detail.number);
      case abi::DetailKind::PauseDispute: return "dispute";
      case abi::DetailKind::PausePromise: return "promise to pay";
      case abi::DetailKind::StepName: return StepName(static_cast<StepId>(detail.number));
      case abi::DetailKind::PromiseAfterHorizon: return "the promise is made after the horizon";
      case abi::DetailKind::InterestAtHorizon: return "at the horizon";
      case abi::DetailKind::InterestBeforePayment: return "before a payment";
      case abi::DetailKind::InterestBeforeWriteOff: return "before the write-off";
      case abi::DetailKind::InterestRetroactive:
        return "from " + AsDate(detail.date).ToIso() + " to the last payment, posted now";
      case abi::DetailKind::UnneededAction: return UnneededActionText(static_cast<ActionKind>(detail.number));
    }
    return "";
  }

  const Action& ActionOf(const abi::FiringTrace& firing, std::uint32_t action) const {
    return firing.cause == abi::CauseKind::Stop ? policy.stops.at(firing.index).actions.at(action)
                                                : policy.steps.at(firing.index).actions.at(action);
  }

  ActionRecord RenderAction(const abi::FiringTrace& firing, const abi::ActionTrace& trace_action) const {
    const Action& action = ActionOf(firing, trace_action.action);
    ActionRecord record;
    record.kind = action.kind;
    record.text = action.text;
    record.cost = Money(trace_action.cost);
    for (std::uint32_t k = 0; k < trace_action.invoice_count; ++k) {
      record.invoices.push_back(InvoiceName(subject, trace.covered[trace_action.first_invoice + k]));
    }
    if (trace_action.has_amount) record.amount = Money(trace_action.amount);
    switch (action.kind) {
      case ActionKind::Task:
        record.detail = fmt::format("{} {}", action.task_target == TaskTarget::Queue ? "queue" : "owner", action.task_assignee);
        break;
      case ActionKind::Fee:
        if (action.fee_basis == FeeBasis::Flat) break;
        record.detail = fmt::format("{}% of {} {} = {}", runtime::ToString(action.percent),
                                    action.fee_basis == FeeBasis::Amount ? "amount" : "balance",
                                    runtime::ToString(Money(trace_action.fee_base)),
                                    runtime::ToString(Money(trace_action.fee_raw)));
        if (trace_action.fee_clamp & 1) record.detail += fmt::format(", raised to the minimum {}", runtime::ToString(*action.fee_min));
        if (trace_action.fee_clamp & 2) record.detail += fmt::format(", capped at the maximum {}", runtime::ToString(*action.fee_max));
        break;
      case ActionKind::Interest:
        record.detail = fmt::format("{}% per year from {}", runtime::ToString(action.annual_rate),
                                    AsDate(trace_action.interest_from).ToIso());
        break;
      case ActionKind::Agency: record.detail = fmt::format("contingency {}%", runtime::ToString(action.percent)); break;
      default: break;
    }
    return record;
  }

  MoneyTotals Totals(const abi::TotalsTrace& totals) const {
    return MoneyTotals{Money(totals.amount),    Money(totals.fees_charged), Money(totals.interest_charged),
                       Money(totals.applied),   Money(totals.written_off),  Money(totals.unapplied),
                       Money(totals.collected), Money(totals.principal),    Money(totals.fees),
                       Money(totals.interest),  Money(totals.open)};
  }

  BalancePoint Balance(const abi::BalanceTrace& point) const {
    return {AsDate(point.date), Money(point.principal), Money(point.fees), Money(point.interest), Money(point.open)};
  }
};

}  // namespace

std::string RenderError(const PolicyIr& policy, const abi::SubjectView& subject, const abi::ErrorTrace& error) {
  Renderer renderer{policy, subject, abi::Trace{}};
  switch (error.code) {
    case abi::ErrorCode::None: return "";
    case abi::ErrorCode::MoneyOverflow: return "a money amount is too large to represent (overflow)";
    case abi::ErrorCode::InterestOverflow: return "interest on this amount is too large to represent (overflow)";
    case abi::ErrorCode::PercentFeeOverflow: return "a percentage fee is too large to represent (overflow)";
    case abi::ErrorCode::SeveralInvoices:
      return "the policy's subject is each invoice on its own: run it once per invoice (several invoices are for "
             "`subject customer` policies)";
    case abi::ErrorCode::PaymentUnknownInvoice:
      return fmt::format("a payment names invoice `{}`, which is not among the invoices", Name(subject, error.invoice));
    case abi::ErrorCode::PaymentCurrency:
      return fmt::format("a payment of {} is not in the policy currency {}",
                         runtime::ToString(runtime::Money{error.number, static_cast<runtime::CurrencyId>(error.currency)}),
                         runtime::InfoOf(policy.header.currency).code);
    case abi::ErrorCode::AttributeMissing:
      return fmt::format("the policy reads {} but no value was given for it", renderer.AttributeName(error.id));
    case abi::ErrorCode::AttributeUnparseable: {
      const abi::AttributeSlot& slot =
          error.invoice == kNoIndex
              ? subject.customer_attributes[error.id]
              : subject.invoice_attributes[static_cast<std::size_t>(error.invoice) * subject.attribute_count + error.id];
      std::string text(slot.value.text.data == nullptr ? "" : slot.value.text.data, slot.value.text.size);
      interpreter::EvaluationResult parsed =
          interpreter::ParseAttributeValue(text, policy.attributes.at(error.id).type, policy.header.currency);
      return fmt::format("{}: {}", renderer.AttributeName(error.id), parsed.error.value_or("?"));
    }
    case abi::ErrorCode::NumberInexact: return "a number is too large or too precise to compute exactly";
    case abi::ErrorCode::DivisionByZeroAmount: return "division by a zero amount";
    case abi::ErrorCode::DivisionByZero: return "division by zero";
    case abi::ErrorCode::PercentTooPrecise: return "a percentage is too precise to compute exactly";
    case abi::ErrorCode::Internal: return "unexpected operator";
  }
  return "?";
}

std::string RenderConservation(const PolicyIr& policy, const abi::SubjectView& subject, const abi::Trace& trace) {
  Renderer renderer{policy, subject, trace};
  std::string detail;
  auto check = [&](const std::string& who, const abi::TotalsTrace& totals) {
    __int128 owed = static_cast<__int128>(totals.amount) + totals.fees_charged + totals.interest_charged;
    __int128 accounted = static_cast<__int128>(totals.applied) + totals.written_off + totals.open;
    if (owed != accounted) {
      detail += fmt::format("{}: amount {} + fees {} + interest {} != applied {} + written off {} + open {}; ", who,
                            runtime::ToString(renderer.Money(totals.amount)),
                            runtime::ToString(renderer.Money(totals.fees_charged)),
                            runtime::ToString(renderer.Money(totals.interest_charged)),
                            runtime::ToString(renderer.Money(totals.applied)),
                            runtime::ToString(renderer.Money(totals.written_off)),
                            runtime::ToString(renderer.Money(totals.open)));
    }
    if (totals.principal < 0 || totals.fees < 0 || totals.interest < 0) {
      detail += fmt::format("{}: a negative amount is owed; ", who);
    }
  };
  for (const abi::InvoiceTrace& invoice : trace.invoices) check("invoice " + InvoiceName(subject, invoice.invoice), invoice.totals);
  check("subject", trace.totals);
  const abi::TotalsTrace& totals = trace.totals;
  if (static_cast<__int128>(totals.collected) != static_cast<__int128>(totals.applied) + totals.unapplied) {
    detail += fmt::format("collected {} != applied {} + unapplied {}; ", runtime::ToString(renderer.Money(totals.collected)),
                          runtime::ToString(renderer.Money(totals.applied)),
                          runtime::ToString(renderer.Money(totals.unapplied)));
  }
  return detail;
}

InterpretResult RenderTrace(const PolicyIr& policy, const abi::SubjectView& subject, const abi::Trace& trace) {
  Renderer renderer{policy, subject, trace};
  InterpretResult result;
  result.start = AsDate(trace.start);
  result.horizon = AsDate(trace.horizon);
  bool failed = trace.error.code != abi::ErrorCode::None;
  result.firings.reserve(trace.firings.size());
  for (const abi::FiringTrace& firing : trace.firings) {
    Firing& out = result.firings.emplace_back();
    out.sequence = firing.sequence;
    out.date = AsDate(firing.date);
    out.scheduled = AsDate(firing.scheduled);
    out.cause = Cause{firing.cause == abi::CauseKind::Stop ? Cause::Kind::Stop : Cause::Kind::Step, firing.index};
    out.occurrence = firing.occurrence;
    out.guard_reads = renderer.Reads(firing.first_read, firing.read_count);
    for (std::uint32_t k = 0; k < firing.action_count; ++k) {
      out.actions.push_back(renderer.RenderAction(firing, trace.actions[firing.first_action + k]));
    }
  }
  for (const abi::NotFiredTrace& record : trace.not_fired) {
    NotFired& out = result.not_fired.emplace_back();
    out.sequence = record.sequence;
    out.date = MaybeDate(record.date);
    out.cause = Cause{record.cause == abi::CauseKind::Stop ? Cause::Kind::Stop : Cause::Kind::Step, record.index};
    out.reason = static_cast<NotFiredReason>(record.reason);
    out.detail = renderer.Detail(record.detail);
    out.guard_reads = renderer.Reads(record.first_read, record.read_count);
    out.related_step = record.related_step;
    out.decided_at_end = record.decided_at_end != 0;
  }
  for (const abi::LedgerTrace& event : trace.ledger) {
    LedgerEvent& out = result.ledger.emplace_back();
    out.sequence = event.sequence;
    out.kind = static_cast<LedgerEvent::Kind>(event.kind);
    out.date = AsDate(event.date);
    out.invoice = Name(subject, event.name);
    out.amount = renderer.Money(event.amount);
    out.to_fees = renderer.Money(event.to_fees);
    out.to_interest = renderer.Money(event.to_interest);
    out.to_principal = renderer.Money(event.to_principal);
    out.unapplied = renderer.Money(event.unapplied);
    out.detail = renderer.Detail(event.detail);
    out.step = event.step;
  }
  for (const abi::BalanceTrace& point : trace.balances) result.balances.push_back(renderer.Balance(point));
  for (const abi::BalanceTrace& point : trace.probes) result.probes.push_back(renderer.Balance(point));
  for (const abi::NotCoveredTrace& left : trace.not_covered) {
    NotCovered& out = result.not_covered.emplace_back();
    out.invoice = InvoiceName(subject, left.invoice);
    if (left.kind == abi::NotCoveredKind::Currency) {
      out.reason = fmt::format("it is in {}, the policy in {}; amounts are never converted",
                               runtime::InfoOf(subject.invoices[left.invoice].currency).code,
                               runtime::InfoOf(policy.header.currency).code);
    } else {
      std::string values;
      for (const GuardRead& read : renderer.Reads(left.first_read, left.read_count)) {
        values += fmt::format("{}{} = {}", values.empty() ? "" : ", ", read.name, read.value);
      }
      out.reason = fmt::format("`applies to` is false ({})", values);
    }
  }
  if (failed) {
    runtime::Money zero = renderer.Money(0);
    result.totals = MoneyTotals{zero, zero, zero, zero, zero, zero, zero, zero, zero, zero, zero};
    result.error = RenderError(policy, subject, trace.error);
    return result;
  }
  for (const abi::InvoiceTrace& invoice : trace.invoices) {
    InvoiceSummary& out = result.invoices.emplace_back();
    out.id = InvoiceName(subject, invoice.invoice);
    out.totals = renderer.Totals(invoice.totals);
    out.settled_on = MaybeDate(invoice.settled_on);
    out.written_off = invoice.written_off != 0;
    out.placed_on = MaybeDate(invoice.placed_on);
  }
  result.totals = renderer.Totals(trace.totals);
  result.conservation_ok = trace.conservation_ok != 0;
  if (!result.conservation_ok) result.conservation_detail = RenderConservation(policy, subject, trace);
  return result;
}

}  // namespace recoup::compiler
