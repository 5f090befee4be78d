// `recoup explain --format json`: the same facts as the text timeline, as
// data. Money is a decimal string ("12000.00"), never a float; dates are ISO.
#include <fmt/format.h>

#include "language/diagnostics.h"
#include "tools/recoup/explain_command.h"

namespace recoup::driver {
namespace {

using language::JsonQuote;

std::string MoneyJson(runtime::Money money) { return JsonQuote(runtime::ToPlainString(money)); }

std::string DateJson(std::optional<runtime::Date> date) { return date ? JsonQuote(date->ToIso()) : "null"; }

template <typename T, typename F>
std::string Array(const std::vector<T>& items, F render) {
  std::string out = "[";
  for (std::size_t i = 0; i < items.size(); ++i) out += (i ? "," : "") + render(items[i]);
  return out + "]";
}

std::string ReadsJson(const std::vector<compiler::GuardRead>& reads) {
  return Array(reads, [](const compiler::GuardRead& read) {
    return fmt::format("{{\"name\":{},\"value\":{}}}", JsonQuote(read.name), JsonQuote(read.value));
  });
}

std::string CauseJson(const ExplainView& view, compiler::Cause cause) {
  bool step = cause.kind == compiler::Cause::Kind::Step;
  std::string label = step && view.policy.steps.at(cause.index).label ? JsonQuote(*view.policy.steps.at(cause.index).label) : "null";
  return fmt::format("\"cause\":{},\"index\":{},\"label\":{},\"where\":{},\"trigger\":{}", JsonQuote(step ? "step" : "stop"),
                     cause.index, label, JsonQuote(DescribeCause(view, cause)),
                     JsonQuote(step ? TriggerText(view, cause.index) : ""));
}

std::string ActionJson(const compiler::ActionRecord& action) {
  return fmt::format("{{\"kind\":{},\"text\":{},\"detail\":{},\"amount\":{},\"cost\":{},\"invoices\":{}}}",
                     JsonQuote(compiler::ActionSpelling(action.kind)), JsonQuote(action.text), JsonQuote(action.detail),
                     action.amount ? MoneyJson(*action.amount) : "null", MoneyJson(action.cost),
                     Array(action.invoices, [](const std::string& id) { return JsonQuote(id); }));
}

const char* LedgerKind(compiler::LedgerEvent::Kind kind) {
  using Kind = compiler::LedgerEvent::Kind;
  switch (kind) {
    case Kind::Payment: return "payment";
    case Kind::InterestPosted: return "interest_posted";
    case Kind::WrittenOff: return "written_off";
    case Kind::DisputeOpened: return "dispute_opened";
    case Kind::DisputeResolved: return "dispute_resolved";
    case Kind::PromiseMade: return "promise_made";
    case Kind::Deferred: return "deferred";
    case Kind::Unneeded: return "unneeded";
  }
  return "unknown";
}

std::string TotalsJson(const compiler::MoneyTotals& totals) {
  return fmt::format(
      "{{\"invoiced\":{},\"fees_charged\":{},\"interest_charged\":{},\"collected\":{},\"applied\":{},\"unapplied\":{},"
      "\"written_off\":{},\"open\":{},\"principal\":{},\"fees\":{},\"interest\":{}}}",
      MoneyJson(totals.amount), MoneyJson(totals.fees_charged), MoneyJson(totals.interest_charged),
      MoneyJson(totals.collected), MoneyJson(totals.applied), MoneyJson(totals.unapplied), MoneyJson(totals.written_off),
      MoneyJson(totals.open), MoneyJson(totals.principal), MoneyJson(totals.fees), MoneyJson(totals.interest));
}

}  // namespace

std::string RenderExplainJson(const ExplainView& view) {
  const compiler::InterpretResult& result = view.result;
  const compiler::Header& header = view.policy.header;
  std::string out = "{";
  out += fmt::format("\"policy\":{{\"name\":{},\"version\":{},\"subject\":{},\"currency\":{},\"calendar\":{}}},",
                     JsonQuote(header.name), JsonQuote(header.version),
                     JsonQuote(header.subject == compiler::SubjectKind::Customer ? "customer" : "invoice"),
                     JsonQuote(runtime::InfoOf(header.currency).code), JsonQuote(header.calendar.name));
  out += "\"invoices\":" + Array(view.facts.invoices, [](const compiler::InvoiceFacts& invoice) {
    return fmt::format("{{\"id\":{},\"amount\":{},\"currency\":{},\"issue\":{},\"due\":{}}}", JsonQuote(invoice.id),
                       MoneyJson(invoice.amount), JsonQuote(runtime::InfoOf(invoice.amount.currency).code),
                       DateJson(invoice.issue), DateJson(invoice.due));
  }) + ",";
  out += "\"not_covered\":" + Array(result.not_covered, [](const compiler::NotCovered& skipped) {
    return fmt::format("{{\"invoice\":{},\"reason\":{}}}", JsonQuote(skipped.invoice), JsonQuote(skipped.reason));
  }) + ",";
  out += fmt::format("\"start\":{},\"horizon\":{},", DateJson(result.start), DateJson(result.horizon));
  out += "\"fired\":" + Array(result.firings, [&](const compiler::Firing& firing) {
    return fmt::format("{{\"sequence\":{},\"date\":{},\"relative\":{},\"scheduled\":{},{},\"occurrence\":{},\"guard\":{},\"actions\":{}}}",
                       firing.sequence, DateJson(firing.date), JsonQuote(RelativeToDue(view, firing.date)),
                       DateJson(firing.scheduled), CauseJson(view, firing.cause), firing.occurrence,
                       ReadsJson(firing.guard_reads), Array(firing.actions, ActionJson));
  }) + ",";
  out += "\"not_fired\":" + Array(result.not_fired, [&](const compiler::NotFired& entry) {
    return fmt::format("{{\"sequence\":{},\"date\":{},{},\"reason\":{},\"explanation\":{},\"detail\":{},\"guard\":{},\"at_end\":{}}}",
                       entry.sequence, DateJson(entry.date), CauseJson(view, entry.cause),
                       JsonQuote(NotFiredReasonCode(entry.reason)), JsonQuote(compiler::NotFiredReasonText(entry.reason)),
                       JsonQuote(entry.detail), ReadsJson(entry.guard_reads), entry.decided_at_end ? "true" : "false");
  }) + ",";
  out += "\"ledger\":" + Array(result.ledger, [](const compiler::LedgerEvent& event) {
    return fmt::format("{{\"sequence\":{},\"date\":{},\"kind\":{},\"invoice\":{},\"amount\":{},\"to_fees\":{},"
                       "\"to_interest\":{},\"to_principal\":{},\"unapplied\":{},\"detail\":{},\"step\":{}}}",
                       event.sequence, DateJson(event.date), JsonQuote(LedgerKind(event.kind)), JsonQuote(event.invoice),
                       MoneyJson(event.amount), MoneyJson(event.to_fees), MoneyJson(event.to_interest),
                       MoneyJson(event.to_principal), MoneyJson(event.unapplied), JsonQuote(event.detail),
                       event.step == compiler::kNoId ? std::string("null") : std::to_string(event.step));
  }) + ",";
  out += "\"balances\":" + Array(result.balances, [](const compiler::BalancePoint& point) {
    return fmt::format("{{\"date\":{},\"principal\":{},\"fees\":{},\"interest\":{},\"open\":{}}}", DateJson(point.date),
                       MoneyJson(point.principal), MoneyJson(point.fees), MoneyJson(point.interest), MoneyJson(point.open));
  }) + ",";
  out += "\"invoice_totals\":" + Array(result.invoices, [](const compiler::InvoiceSummary& invoice) {
    return fmt::format("{{\"id\":{},\"settled_on\":{},\"written_off\":{},\"placed_on\":{},\"totals\":{}}}",
                       JsonQuote(invoice.id), DateJson(invoice.settled_on), invoice.written_off ? "true" : "false",
                       DateJson(invoice.placed_on), TotalsJson(invoice.totals));
  }) + ",";
  out += "\"totals\":" + TotalsJson(result.totals) + ",";
  out += fmt::format("\"conservation\":{{\"ok\":{},\"detail\":{}}}", result.conservation_ok ? "true" : "false",
                     JsonQuote(result.conservation_detail));
  return out + "}\n";
}

}  // namespace recoup::driver
