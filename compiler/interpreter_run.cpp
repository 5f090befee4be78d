// The run's setup, day loop and shared helpers.
#include "compiler/interpreter_run.h"

#include <fmt/format.h>

#include <algorithm>
#include <tuple>

namespace recoup::compiler::interpreter {

Run::Run(const PolicyIr& policy, const SubjectFacts& facts, const InterpretOptions& options)
    : policy_(policy), facts_(facts), options_(options), calendar_(policy.header.calendar.ToBusinessCalendar()) {
  steps_.resize(policy.steps.size());
  fired_counts_.assign(policy.steps.size(), 0);
  first_fired_.resize(policy.steps.size());
  result_.horizon = options.horizon;
}

InterpretResult Run::Execute() {
  runtime::Money zero = Money(0);
  result_.totals = MoneyTotals{zero, zero, zero, zero, zero, zero, zero, zero, zero, zero, zero};
  SelectInvoices();
  if (accounts_.empty() || sink_.error) {
    result_.start = options_.horizon;
    if (sink_.error) result_.error = sink_.error;
    return std::move(result_);
  }
  runtime::Date start = accounts_.front().facts().issue;
  for (const InvoiceAccount& account : accounts_) start = std::min(start, account.facts().issue);
  result_.start = start;
  for (runtime::Date day = start; day <= options_.horizon && !sink_.error; day = day.AddDays(1)) RunDay(day);
  if (!sink_.error) Finish();
  if (sink_.error) result_.error = sink_.error;
  return std::move(result_);
}

void Run::SelectInvoices() {
  std::vector<std::size_t> covered;
  for (std::size_t i = 0; i < facts_.invoices.size(); ++i) {
    const InvoiceFacts& invoice = facts_.invoices[i];
    if (invoice.amount.currency != policy_.header.currency) {
      result_.not_covered.push_back(
          {invoice.id, fmt::format("it is in {}, the policy in {}; amounts are never converted",
                                   runtime::InfoOf(invoice.amount.currency).code,
                                   runtime::InfoOf(policy_.header.currency).code)});
      continue;
    }
    if (policy_.header.applies_to != kNoId) {
      InvoiceAccount probe(invoice, i);
      EvaluationContext context = ContextOn(invoice.issue, &probe);
      std::vector<GuardRead> reads;
      EvaluationResult applies = Evaluate(policy_.header.applies_to, context, &reads);
      if (applies.error) {
        sink_.Fail(*applies.error);
        return;
      }
      if (!applies.value.boolean) {
        std::string values;
        for (const GuardRead& read : reads) values += fmt::format("{}{} = {}", values.empty() ? "" : ", ", read.name, read.value);
        result_.not_covered.push_back({invoice.id, fmt::format("`applies to` is false ({})", values)});
        continue;
      }
    }
    covered.push_back(i);
  }
  std::sort(covered.begin(), covered.end(), [&](std::size_t a, std::size_t b) {
    const InvoiceFacts& x = facts_.invoices[a];
    const InvoiceFacts& y = facts_.invoices[b];
    return std::tie(x.due, x.issue, x.id) < std::tie(y.due, y.issue, y.id);
  });
  if (!IsCustomer() && covered.size() > 1) {
    sink_.Fail("the policy's subject is each invoice on its own: run it once per invoice (several invoices are for "
               "`subject customer` policies)");
    return;
  }
  accounts_.reserve(covered.size());
  for (std::size_t index : covered) accounts_.emplace_back(facts_.invoices[index], index);
  // The first promise to pay, by the day it was made (section 3).
  for (const PromiseFacts& promise : facts_.promises) {
    PromiseFacts candidate = promise;
    if (!candidate.made) {
      InvoiceAccount* account = candidate.invoice.empty() ? (accounts_.empty() ? nullptr : &accounts_.front())
                                                          : FindAccount(candidate.invoice);
      candidate.made = account ? account->facts().due : candidate.promised;
    }
    promises_.push_back(candidate);
    if (!promise_ || std::tie(*candidate.made, candidate.promised) < std::tie(*promise_->made, promise_->promised)) {
      promise_ = candidate;
    }
  }
}

void Run::RunDay(runtime::Date day) {
  day_changed_ = false;
  bool event_day = false;
  ApplyPayments(day);
  NoteDisputesAndPromises(day);
  event_day = IsEventDay(day);
  if (event_day) RunStops(day);
  RunSteps(day);
  if (day == options_.horizon) {
    for (InvoiceAccount& account : accounts_) {
      std::int64_t posted = account.PostInterest(day, sink_);
      if (posted != 0) AddLedger(LedgerEvent::Kind::InterestPosted, day, account.facts().id, posted).detail = "at the horizon";
    }
  }
  if (day_changed_) Snapshot(day);
  if (std::find(options_.balance_probes.begin(), options_.balance_probes.end(), day) != options_.balance_probes.end()) {
    Snapshot(day);
    result_.probes.push_back(result_.balances.back());
    if (!day_changed_) result_.balances.pop_back();
  }
}

std::vector<InvoiceAccount*> Run::OpenAccounts(runtime::Date day) {
  std::vector<InvoiceAccount*> open;
  for (InvoiceAccount& account : accounts_) {
    if (account.IsOpen(day, sink_)) open.push_back(&account);
  }
  return open;
}

InvoiceAccount* Run::OldestOpen(runtime::Date day) {
  for (InvoiceAccount& account : accounts_) {
    if (account.IsOpen(day, sink_)) return &account;
  }
  return nullptr;
}

InvoiceAccount* Run::AnchorAccount(runtime::Date day) {
  if (!IsCustomer()) return &accounts_.front();
  return OldestOpen(day);
}

InvoiceAccount* Run::FeeAccount(runtime::Date day) {
  InvoiceAccount* account = AnchorAccount(day);
  return account != nullptr ? account : &accounts_.front();
}

InvoiceAccount* Run::FindAccount(const std::string& id) {
  for (InvoiceAccount& account : accounts_) {
    if (account.facts().id == id) return &account;
  }
  return nullptr;
}

AnchorFacts Run::AnchorFactsOn(runtime::Date day) {
  AnchorFacts anchor_facts;
  InvoiceAccount* account = AnchorAccount(day);
  anchor_facts.invoice = account ? &account->facts() : nullptr;
  anchor_facts.has_promise = promise_.has_value();
  if (promise_ && *promise_->made <= day) anchor_facts.promised = promise_->promised;
  anchor_facts.first_fired = &first_fired_;
  return anchor_facts;
}

EvaluationContext Run::ContextOn(runtime::Date day, InvoiceAccount* invoice) {
  EvaluationContext context;
  context.policy = &policy_;
  context.calendar = &calendar_;
  context.facts = &facts_;
  context.today = day;
  context.fired_counts = &fired_counts_;
  if (invoice != nullptr) {
    context.invoice = &invoice->facts();
    context.invoice_balance = invoice->Balance(day, sink_);
    context.invoice_principal = invoice->principal();
  }
  for (InvoiceAccount& account : accounts_) {
    if (account.IsOpen(day, sink_)) {
      context.open_balance = CheckedAdd(context.open_balance, account.Balance(day, sink_), sink_);
      ++context.open_invoices;
    }
    std::optional<runtime::Date> settled = account.settled_on();
    if (settled && *settled > account.facts().due && *settled < day) ++context.late_payments;
  }
  auto prior = facts_.customer_attributes.find("late_payments");
  if (prior != facts_.customer_attributes.end()) {
    runtime::DecimalResult count = runtime::ParseDecimal(prior->second);
    if (count.ok() && count.value.scale == 0) context.late_payments += count.value.digits;
  }
  return context;
}

bool Run::Evaluates(ExpressionId expression, runtime::Date day, std::vector<GuardRead>& reads) {
  EvaluationContext context = ContextOn(day, AnchorAccount(day));
  EvaluationResult value = Evaluate(expression, context, &reads);
  if (value.error) {
    sink_.Fail(*value.error);
    return false;
  }
  return value.value.boolean;
}

void Run::AddNotFired(Cause cause, std::optional<runtime::Date> date, NotFiredReason reason, std::string detail,
                      std::vector<GuardRead> reads) {
  result_.not_fired.push_back({sequence_++, date, cause, reason, std::move(detail), std::move(reads)});
}

LedgerEvent& Run::AddLedger(LedgerEvent::Kind kind, runtime::Date day, std::string invoice, std::int64_t amount) {
  LedgerEvent event;
  event.sequence = sequence_++;
  event.kind = kind;
  event.date = day;
  event.invoice = std::move(invoice);
  event.amount = Money(amount);
  event.to_fees = event.to_interest = event.to_principal = event.unapplied = Money(0);
  result_.ledger.push_back(std::move(event));
  day_changed_ = true;
  return result_.ledger.back();
}

void Run::Snapshot(runtime::Date day) {
  BalancePoint point{day, Money(0), Money(0), Money(0), Money(0)};
  for (const InvoiceAccount& account : accounts_) {
    std::int64_t interest = account.InterestOwed(day, sink_);
    point.principal.minor = CheckedAdd(point.principal.minor, account.principal(), sink_);
    point.fees.minor = CheckedAdd(point.fees.minor, account.fees(), sink_);
    point.interest.minor = CheckedAdd(point.interest.minor, interest, sink_);
  }
  point.open.minor = CheckedAdd(CheckedAdd(point.principal.minor, point.fees.minor, sink_), point.interest.minor, sink_);
  result_.balances.push_back(point);
}

std::string Run::StepName(StepId id) const {
  const Step& step = policy_.steps.at(id);
  if (step.label) return "`" + *step.label + "`";
  return fmt::format("step {}", id + 1);
}

}  // namespace recoup::compiler::interpreter
