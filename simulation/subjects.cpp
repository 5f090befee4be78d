#include "simulation/subjects.h"

#include <fmt/format.h>

#include <algorithm>

namespace recoup::simulation {
namespace {

namespace abi = compiler::abi;

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

// Parses each declared attribute's column once per distinct text, and
// reads the customers' prior late payments (docs/semantics.md section 12).
void ParseAttributes(const Ledger& ledger, const compiler::PolicyIr& policy, SubjectPlan& plan) {
  for (compiler::AttributeId id = 0; id < policy.attributes.size(); ++id) {
    const compiler::Attribute& attribute = policy.attributes[id];
    ParsedAttribute parsed;
    parsed.id = id;
    parsed.on_invoice = attribute.object == compiler::AttributeObject::Invoice;
    const runtime::AttributeColumns& columns = parsed.on_invoice ? ledger.invoices.attributes : ledger.customers.attributes;
    parsed.column = *columns.Find(attribute.name);
    parsed.slot_by_text.resize(ledger.texts.size());
    std::vector<bool> done(ledger.texts.size(), false);
    for (runtime::StringPool::Id text : columns.values[parsed.column]) {
      if (done[text]) continue;
      done[text] = true;
      parsed.slot_by_text[text] = compiler::ParseAttributeSlot(policy, id, ledger.texts.Get(text));
    }
    plan.parsed_attributes.push_back(std::move(parsed));
  }
  plan.prior_late_payments.assign(ledger.customers.size(), 0);
  for (const AttributeSource& source : plan.customer_attributes) {
    if (source.name == "country") plan.country_column = source.column;
    if (source.name != "late_payments") continue;
    for (std::uint32_t c = 0; c < ledger.customers.size(); ++c) {
      plan.prior_late_payments[c] =
          compiler::PriorLatePayments(ledger.texts.Get(ledger.customers.attributes.values[source.column][c]));
    }
  }
}

abi::TextRef Ref(std::string_view text) { return {text.data(), static_cast<std::uint32_t>(text.size())}; }

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
  ParseAttributes(ledger, policy, plan);

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

const abi::SubjectView& BuildSubjectView(const Ledger& ledger, const SubjectPlan& plan, std::size_t subject,
                                         compiler::SubjectViewStorage& storage) {
  storage.names.clear();
  storage.invoices.clear();
  storage.payments.clear();
  storage.disputes.clear();
  storage.promises.clear();
  storage.invoice_attributes.clear();
  storage.customer_attributes.clear();
  std::uint32_t customer = plan.subject_customer[subject];
  std::uint32_t attribute_count = static_cast<std::uint32_t>(plan.parsed_attributes.size());
  std::uint32_t first = plan.subject_begin[subject];
  std::uint32_t last = plan.subject_begin[subject + 1];
  // Invoice k of the subject has name k: ledger ids are unique.
  for (std::uint32_t k = first; k < last; ++k) {
    std::uint32_t i = plan.invoice_order[k];
    std::int32_t index = static_cast<std::int32_t>(k - first);
    storage.names.push_back(Ref(ledger.invoice_ids.Get(i)));
    storage.invoices.push_back({index, ledger.invoices.issue_date[i].days(), ledger.invoices.due_date[i].days(),
                                ledger.invoices.amount_minor[i], plan.currency, 0});
    for (std::uint32_t p = ledger.payments.ranges.begin(i); p < ledger.payments.ranges.end(i); ++p) {
      storage.payments.push_back({index, index, ledger.payments.date[p].days(), plan.currency, ledger.payments.amount_minor[p]});
    }
    for (std::uint32_t d = ledger.disputes.ranges.begin(i); d < ledger.disputes.ranges.end(i); ++d) {
      Date resolved = ledger.disputes.resolved[d];
      storage.disputes.push_back({index, ledger.disputes.opened[d].days(),
                                  resolved == runtime::kStillOpen ? abi::kNoDate : resolved.days()});
    }
    for (std::uint32_t p = ledger.promises.ranges.begin(i); p < ledger.promises.ranges.end(i); ++p) {
      storage.promises.push_back({index, index, ledger.promises.made[p].days(), ledger.promises.promised[p].days()});
    }
    for (const ParsedAttribute& parsed : plan.parsed_attributes) {
      storage.invoice_attributes.push_back(
          parsed.on_invoice ? parsed.slot_by_text[ledger.invoices.attributes.values[parsed.column][i]] : abi::AttributeSlot{});
    }
  }
  // Payments of several invoices in date order, ledger order within a day
  // (as BuildSubjectFacts); an insertion sort is stable and allocates nothing.
  std::vector<abi::PaymentView>& payments = storage.payments;
  if (last - first > 1) {
    for (std::size_t a = 1; a < payments.size(); ++a) {
      abi::PaymentView moving = payments[a];
      std::size_t b = a;
      while (b > 0 && payments[b - 1].date > moving.date) {
        payments[b] = payments[b - 1];
        --b;
      }
      payments[b] = moving;
    }
  }
  for (const ParsedAttribute& parsed : plan.parsed_attributes) {
    storage.customer_attributes.push_back(
        parsed.on_invoice ? abi::AttributeSlot{}
                          : parsed.slot_by_text[ledger.customers.attributes.values[parsed.column][customer]]);
  }
  abi::SubjectView& view = storage.view;
  view = abi::SubjectView{};
  view.names = storage.names.data();
  view.name_count = static_cast<std::uint32_t>(storage.names.size());
  view.customer_id = Ref(ledger.customer_ids.Get(customer));
  view.segment = Ref(ledger.texts.Get(ledger.customers.segment[customer]));
  if (plan.country_column) view.country = Ref(ledger.texts.Get(ledger.customers.attributes.values[*plan.country_column][customer]));
  view.prior_late_payments = plan.prior_late_payments[customer];
  view.invoices = storage.invoices.data();
  view.invoice_count = static_cast<std::uint32_t>(storage.invoices.size());
  view.payments = payments.data();
  view.payment_count = static_cast<std::uint32_t>(payments.size());
  view.disputes = storage.disputes.data();
  view.dispute_count = static_cast<std::uint32_t>(storage.disputes.size());
  view.promises = storage.promises.data();
  view.promise_count = static_cast<std::uint32_t>(storage.promises.size());
  view.attribute_count = attribute_count;
  view.invoice_attributes = storage.invoice_attributes.data();
  view.customer_attributes = storage.customer_attributes.data();
  return view;
}

void PrefetchSubject(const Ledger& ledger, const SubjectPlan& plan, std::size_t subject) {
  std::uint32_t customer = plan.subject_customer[subject];
  std::uint32_t invoice = plan.invoice_order[plan.subject_begin[subject]];
  __builtin_prefetch(&ledger.customers.segment[customer]);
  __builtin_prefetch(&plan.prior_late_payments[customer]);
  ledger.customer_ids.PrefetchEnd(customer);
  __builtin_prefetch(&ledger.invoices.due_date[invoice]);
  __builtin_prefetch(&ledger.invoices.issue_date[invoice]);
  __builtin_prefetch(&ledger.invoices.amount_minor[invoice]);
  __builtin_prefetch(&ledger.payments.ranges.offsets[invoice]);
  __builtin_prefetch(&ledger.disputes.ranges.offsets[invoice]);
  __builtin_prefetch(&ledger.promises.ranges.offsets[invoice]);
  __builtin_prefetch(&ledger.adjustments.ranges.offsets[invoice]);
  __builtin_prefetch(&ledger.actions.ranges.offsets[invoice]);
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
