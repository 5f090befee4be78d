#include "simulation/subjects.h"

#include <fmt/format.h>

#include <algorithm>

namespace recoup::simulation {
namespace {

using runtime::Date;
using runtime::Ledger;

void Later(Date& latest, Date date) {
  if (date > latest) latest = date;
}

std::string AttributeValue(const Ledger& ledger, const runtime::AttributeColumns& columns, std::size_t column,
                           std::uint32_t row) {
  return std::string(ledger.texts.Get(columns.values[column][row]));
}

// Where the ledger keeps the column a declared attribute reads, or why it has none.
std::optional<std::string> FindColumns(const Ledger& ledger, const compiler::PolicyIr& policy, SubjectPlan& plan) {
  for (const compiler::Attribute& attribute : policy.attributes) {
    bool on_invoice = attribute.object == compiler::AttributeObject::Invoice;
    const runtime::AttributeColumns& columns = on_invoice ? ledger.invoices.attributes : ledger.customers.attributes;
    std::optional<std::size_t> column = columns.Find(attribute.name);
    if (!column) {
      return fmt::format("the policy reads {}.{}, but the ledger's {} has no `{}` column", on_invoice ? "invoice" : "customer",
                         attribute.name, on_invoice ? "invoices.csv" : "customers.csv", attribute.name);
    }
    (on_invoice ? plan.invoice_attributes : plan.customer_attributes).push_back({attribute.name, *column});
  }
  for (const char* builtin : {"country", "late_payments"}) {
    bool declared = std::any_of(plan.customer_attributes.begin(), plan.customer_attributes.end(),
                                [&](const AttributeSource& source) { return source.name == builtin; });
    std::optional<std::size_t> column = ledger.customers.attributes.Find(builtin);
    if (column && !declared) plan.customer_attributes.push_back({builtin, *column});
  }
  return std::nullopt;
}

}  // namespace

Date LedgerEnd(const Ledger& ledger) {
  Date latest = ledger.invoices.size() > 0 ? ledger.invoices.issue_date[0] : Date();
  for (Date date : ledger.invoices.issue_date) Later(latest, date);
  for (Date date : ledger.payments.date) Later(latest, date);
  for (Date date : ledger.adjustments.date) Later(latest, date);
  for (Date date : ledger.disputes.opened) Later(latest, date);
  for (Date date : ledger.disputes.resolved) {
    if (date != runtime::kStillOpen) Later(latest, date);
  }
  for (Date date : ledger.promises.made) Later(latest, date);
  for (Date date : ledger.actions.date) Later(latest, date);
  return latest;
}

PlanResult PlanSubjects(const Ledger& ledger, const compiler::PolicyIr& policy, std::optional<Date> as_of) {
  SubjectPlan plan;
  plan.kind = policy.header.subject;
  plan.currency = policy.header.currency;
  plan.as_of = as_of ? *as_of : LedgerEnd(ledger);
  if (std::optional<std::string> error = FindColumns(ledger, policy, plan)) return {std::nullopt, *error};

  const runtime::InvoiceColumns& invoices = ledger.invoices;
  std::vector<std::uint32_t> given;
  given.reserve(invoices.size());
  for (std::uint32_t i = 0; i < invoices.size(); ++i) {
    if (invoices.currency[i] != plan.currency) {
      auto found = std::find_if(plan.other_currencies.begin(), plan.other_currencies.end(),
                                [&](const CurrencyCount& count) { return count.currency == invoices.currency[i]; });
      if (found == plan.other_currencies.end()) found = plan.other_currencies.insert(found, {invoices.currency[i], 0, 0});
      found->invoices += 1;
      found->amount += invoices.amount_minor[i];
    } else if (invoices.issue_date[i] > plan.as_of) {
      plan.issued_after_as_of += 1;
    } else if (invoices.IsCreditNote(i)) {
      plan.credit_notes += 1;
      plan.credit_note_amount += invoices.amount_minor[i];
    } else {
      given.push_back(i);
    }
  }
  std::sort(plan.other_currencies.begin(), plan.other_currencies.end(), [](const CurrencyCount& a, const CurrencyCount& b) {
    return runtime::InfoOf(a.currency).code < runtime::InfoOf(b.currency).code;
  });

  if (plan.kind == compiler::SubjectKind::Invoice) {
    plan.invoice_order = std::move(given);
    plan.subject_begin.resize(plan.invoice_order.size() + 1);
    plan.subject_customer.resize(plan.invoice_order.size());
    for (std::size_t s = 0; s < plan.invoice_order.size(); ++s) {
      plan.subject_begin[s] = static_cast<std::uint32_t>(s);
      plan.subject_customer[s] = invoices.customer[plan.invoice_order[s]];
    }
    plan.subject_begin.back() = static_cast<std::uint32_t>(plan.invoice_order.size());
    return {std::move(plan), ""};
  }

  // Customer subjects: a counting sort by customer keeps ledger order inside each.
  std::vector<std::uint32_t> starts(ledger.customers.size() + 1, 0);
  for (std::uint32_t invoice : given) starts[invoices.customer[invoice] + 1] += 1;
  for (std::size_t c = 0; c < ledger.customers.size(); ++c) starts[c + 1] += starts[c];
  plan.invoice_order.resize(given.size());
  std::vector<std::uint32_t> next(starts.begin(), starts.end() - 1);
  for (std::uint32_t invoice : given) plan.invoice_order[next[invoices.customer[invoice]]++] = invoice;
  for (std::uint32_t c = 0; c < ledger.customers.size(); ++c) {
    if (starts[c + 1] == starts[c]) continue;
    plan.subject_begin.push_back(starts[c]);
    plan.subject_customer.push_back(c);
  }
  plan.subject_begin.push_back(static_cast<std::uint32_t>(plan.invoice_order.size()));
  return {std::move(plan), ""};
}

void BuildSubjectFacts(const Ledger& ledger, const SubjectPlan& plan, std::size_t subject,
                       compiler::SubjectFacts& facts) {
  facts.invoices.clear();
  facts.payments.clear();
  facts.disputes.clear();
  facts.promises.clear();
  facts.customer_attributes.clear();
  std::uint32_t customer = plan.subject_customer[subject];
  facts.customer_id.assign(ledger.customer_ids.Get(customer));
  facts.customer_attributes["segment"] = std::string(ledger.texts.Get(ledger.customers.segment[customer]));
  for (const AttributeSource& source : plan.customer_attributes) {
    facts.customer_attributes[source.name] = AttributeValue(ledger, ledger.customers.attributes, source.column, customer);
  }
  for (std::uint32_t k = plan.subject_begin[subject]; k < plan.subject_begin[subject + 1]; ++k) {
    std::uint32_t i = plan.invoice_order[k];
    compiler::InvoiceFacts invoice;
    invoice.id.assign(ledger.invoice_ids.Get(i));
    invoice.issue = ledger.invoices.issue_date[i];
    invoice.due = ledger.invoices.due_date[i];
    invoice.amount = runtime::Money{ledger.invoices.amount_minor[i], plan.currency};
    for (const AttributeSource& source : plan.invoice_attributes) {
      invoice.attributes[source.name] = AttributeValue(ledger, ledger.invoices.attributes, source.column, i);
    }
    for (std::uint32_t p = ledger.payments.ranges.begin(i); p < ledger.payments.ranges.end(i); ++p) {
      facts.payments.push_back({invoice.id, ledger.payments.date[p], runtime::Money{ledger.payments.amount_minor[p], plan.currency}});
    }
    for (std::uint32_t d = ledger.disputes.ranges.begin(i); d < ledger.disputes.ranges.end(i); ++d) {
      Date resolved = ledger.disputes.resolved[d];
      facts.disputes.push_back({invoice.id, ledger.disputes.opened[d],
                                resolved == runtime::kStillOpen ? std::nullopt : std::optional<Date>(resolved)});
    }
    for (std::uint32_t p = ledger.promises.ranges.begin(i); p < ledger.promises.ranges.end(i); ++p) {
      facts.promises.push_back({invoice.id, ledger.promises.made[p], ledger.promises.promised[p]});
    }
    facts.invoices.push_back(std::move(invoice));
  }
  // Payments of several invoices in date order (the day loop applies a
  // day's payments in the order given; this keeps it the ledger's).
  if (facts.invoices.size() > 1) {
    std::stable_sort(facts.payments.begin(), facts.payments.end(),
                     [](const compiler::PaymentFacts& a, const compiler::PaymentFacts& b) { return a.date < b.date; });
  }
}

Date SubjectHorizon(const Ledger& ledger, const SubjectPlan& plan, std::size_t subject, std::int32_t horizon_days) {
  Date latest_due = ledger.invoices.due_date[plan.invoice_order[plan.subject_begin[subject]]];
  for (std::uint32_t k = plan.subject_begin[subject]; k < plan.subject_begin[subject + 1]; ++k) {
    Later(latest_due, ledger.invoices.due_date[plan.invoice_order[k]]);
  }
  Date horizon = latest_due.AddDays(horizon_days);
  return horizon > plan.as_of ? plan.as_of : horizon;
}

}  // namespace recoup::simulation
