// Walks two InterpretResults in the same order and stops at the first field
// that differs. Each struct has one Compare overload listing all of its
// fields; a field added to interpreter.h must be added here too (the unit
// test that mutates every field fails otherwise).
#include "tools/testgen/result_difference.h"

#include <fmt/format.h>

#include <functional>
#include <vector>

namespace recoup::testgen {
namespace {

using namespace compiler;

std::string Show(const runtime::Money& money) {
  if (money.currency >= runtime::CurrencyCount()) return fmt::format("{} (currency id {})", money.minor, money.currency);
  return runtime::ToString(money);
}
std::string Show(const runtime::Date& date) { return date.ToIso(); }
std::string Show(const std::string& text) { return "\"" + text + "\""; }
std::string Show(bool value) { return value ? "true" : "false"; }
std::string Show(std::int64_t value) { return fmt::format("{}", value); }
std::string Show(std::uint32_t value) { return fmt::format("{}", value); }
std::string Show(ActionKind kind) { return ActionSpelling(kind); }
std::string Show(NotFiredReason reason) { return NotFiredReasonText(reason); }
std::string Show(Cause::Kind kind) { return kind == Cause::Kind::Step ? "step" : "stop"; }
std::string Show(LedgerEvent::Kind kind) {
  static const char* const kNames[] = {"payment",          "interest posted", "written off", "dispute opened",
                                       "dispute resolved", "promise made",    "deferred",    "unneeded"};
  return kNames[static_cast<int>(kind)];
}
template <typename T>
std::string Show(const std::optional<T>& value) {
  return value ? Show(*value) : "(none)";
}

class Differ {
 public:
  std::optional<std::string> difference;

  template <typename T>
  void Field(const std::string& path, const T& a, const T& b) {
    if (difference || a == b) return;
    difference = fmt::format("{}: {} vs {}", path, Show(a), Show(b));
  }

  template <typename T>
  void List(const std::string& path, const std::vector<T>& a, const std::vector<T>& b,
            const std::function<void(const std::string&, const T&, const T&)>& compare) {
    for (std::size_t i = 0; i < a.size() && i < b.size() && !difference; ++i) {
      compare(fmt::format("{}[{}]", path, i), a[i], b[i]);
    }
    if (difference || a.size() == b.size()) return;
    difference = fmt::format("{}: {} entries vs {} (the first {} agree)", path, a.size(), b.size(),
                             std::min(a.size(), b.size()));
  }

  void Compare(const std::string& path, const Cause& a, const Cause& b) {
    Field(path + ".kind", a.kind, b.kind);
    Field(path + ".index", a.index, b.index);
  }

  void Compare(const std::string& path, const GuardRead& a, const GuardRead& b) {
    Field(path + ".name", a.name, b.name);
    Field(path + ".value", a.value, b.value);
  }

  void Compare(const std::string& path, const ActionRecord& a, const ActionRecord& b) {
    Field(path + ".kind", a.kind, b.kind);
    Field(path + ".text", a.text, b.text);
    Field(path + ".detail", a.detail, b.detail);
    Field(path + ".amount", a.amount, b.amount);
    List<std::string>(path + ".invoices", a.invoices, b.invoices,
                      [&](const std::string& at, const std::string& x, const std::string& y) { Field(at, x, y); });
    Field(path + ".cost", a.cost, b.cost);
  }

  void Compare(const std::string& path, const Firing& a, const Firing& b) {
    Field(path + ".sequence", a.sequence, b.sequence);
    Field(path + ".date", a.date, b.date);
    Field(path + ".scheduled", a.scheduled, b.scheduled);
    Compare(path + ".cause", a.cause, b.cause);
    Field(path + ".occurrence", a.occurrence, b.occurrence);
    Reads(path + ".guard_reads", a.guard_reads, b.guard_reads);
    List<ActionRecord>(path + ".actions", a.actions, b.actions,
                       [&](const std::string& at, const ActionRecord& x, const ActionRecord& y) { Compare(at, x, y); });
  }

  void Compare(const std::string& path, const NotFired& a, const NotFired& b) {
    Field(path + ".sequence", a.sequence, b.sequence);
    Field(path + ".date", a.date, b.date);
    Compare(path + ".cause", a.cause, b.cause);
    Field(path + ".reason", a.reason, b.reason);
    Field(path + ".detail", a.detail, b.detail);
    Reads(path + ".guard_reads", a.guard_reads, b.guard_reads);
    Field(path + ".related_step", a.related_step, b.related_step);
    Field(path + ".decided_at_end", a.decided_at_end, b.decided_at_end);
  }

  void Compare(const std::string& path, const LedgerEvent& a, const LedgerEvent& b) {
    Field(path + ".sequence", a.sequence, b.sequence);
    Field(path + ".kind", a.kind, b.kind);
    Field(path + ".date", a.date, b.date);
    Field(path + ".invoice", a.invoice, b.invoice);
    Field(path + ".amount", a.amount, b.amount);
    Field(path + ".to_fees", a.to_fees, b.to_fees);
    Field(path + ".to_interest", a.to_interest, b.to_interest);
    Field(path + ".to_principal", a.to_principal, b.to_principal);
    Field(path + ".unapplied", a.unapplied, b.unapplied);
    Field(path + ".detail", a.detail, b.detail);
    Field(path + ".step", a.step, b.step);
  }

  void Compare(const std::string& path, const BalancePoint& a, const BalancePoint& b) {
    Field(path + ".date", a.date, b.date);
    Field(path + ".principal", a.principal, b.principal);
    Field(path + ".fees", a.fees, b.fees);
    Field(path + ".interest", a.interest, b.interest);
    Field(path + ".open", a.open, b.open);
  }

  void Compare(const std::string& path, const MoneyTotals& a, const MoneyTotals& b) {
    Field(path + ".amount", a.amount, b.amount);
    Field(path + ".fees_charged", a.fees_charged, b.fees_charged);
    Field(path + ".interest_charged", a.interest_charged, b.interest_charged);
    Field(path + ".applied", a.applied, b.applied);
    Field(path + ".written_off", a.written_off, b.written_off);
    Field(path + ".unapplied", a.unapplied, b.unapplied);
    Field(path + ".collected", a.collected, b.collected);
    Field(path + ".principal", a.principal, b.principal);
    Field(path + ".fees", a.fees, b.fees);
    Field(path + ".interest", a.interest, b.interest);
    Field(path + ".open", a.open, b.open);
  }

  void Compare(const std::string& path, const InvoiceSummary& a, const InvoiceSummary& b) {
    Field(path + ".id", a.id, b.id);
    Compare(path + ".totals", a.totals, b.totals);
    Field(path + ".settled_on", a.settled_on, b.settled_on);
    Field(path + ".written_off", a.written_off, b.written_off);
    Field(path + ".placed_on", a.placed_on, b.placed_on);
  }

  void Compare(const std::string& path, const NotCovered& a, const NotCovered& b) {
    Field(path + ".invoice", a.invoice, b.invoice);
    Field(path + ".reason", a.reason, b.reason);
  }

  void Reads(const std::string& path, const std::vector<GuardRead>& a, const std::vector<GuardRead>& b) {
    List<GuardRead>(path, a, b, [&](const std::string& at, const GuardRead& x, const GuardRead& y) { Compare(at, x, y); });
  }

  template <typename T>
  void Entries(const std::string& path, const std::vector<T>& a, const std::vector<T>& b) {
    List<T>(path, a, b, [&](const std::string& at, const T& x, const T& y) { Compare(at, x, y); });
  }
};

}  // namespace

std::optional<std::string> FirstDifference(const InterpretResult& a, const InterpretResult& b) {
  Differ differ;
  // The error first: when one engine failed, that is the difference to read.
  differ.Field("error", a.error, b.error);
  differ.Field("start", a.start, b.start);
  differ.Field("horizon", a.horizon, b.horizon);
  differ.Entries("firings", a.firings, b.firings);
  differ.Entries("not_fired", a.not_fired, b.not_fired);
  differ.Entries("ledger", a.ledger, b.ledger);
  differ.Entries("balances", a.balances, b.balances);
  differ.Entries("probes", a.probes, b.probes);
  differ.Entries("invoices", a.invoices, b.invoices);
  differ.Entries("not_covered", a.not_covered, b.not_covered);
  differ.Compare("totals", a.totals, b.totals);
  differ.Field("conservation_ok", a.conservation_ok, b.conservation_ok);
  differ.Field("conservation_detail", a.conservation_detail, b.conservation_detail);
  return differ.difference;
}

}  // namespace recoup::testgen
