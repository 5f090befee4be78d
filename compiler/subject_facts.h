// What the reference interpreter is told about one subject: its invoices,
// what happened to them (payments, disputes, promises to pay), attributes,
// and how far to look. `recoup explain` builds one from flags; policy tests
// and the simulator build them from their own inputs.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "runtime/date.h"
#include "runtime/money.h"

namespace recoup::compiler {

class PolicyEngine;

// Attribute values as written (ledger cells, `k=v` flags); the interpreter
// converts them to the declared type when a policy reads them.
using AttributeValues = std::map<std::string, std::string>;

struct InvoiceFacts {
  std::string id;
  runtime::Date issue;
  runtime::Date due;
  runtime::Money amount;
  AttributeValues attributes;
};

// A payment for one invoice; an empty `invoice` means the subject's oldest
// open invoice (the only one for an invoice subject).
struct PaymentFacts {
  std::string invoice;
  runtime::Date date;
  runtime::Money amount;
};

// A dispute opened on `opened` and resolved on `resolved` (never, when empty).
struct DisputeFacts {
  std::string invoice;
  runtime::Date opened;
  std::optional<runtime::Date> resolved;
};

// A promise to pay on `promised`, made on `made` (the due date when empty).
struct PromiseFacts {
  std::string invoice;
  std::optional<runtime::Date> made;
  runtime::Date promised;
};

// One subject: a single invoice, or a customer with its invoices.
struct SubjectFacts {
  std::string customer_id;
  AttributeValues customer_attributes;  // segment, country, declared attributes
  std::vector<InvoiceFacts> invoices;
  std::vector<PaymentFacts> payments;
  std::vector<DisputeFacts> disputes;
  std::vector<PromiseFacts> promises;
};

// How one run is bounded. (The settlement order is the policy's own:
// `payments settle ...` in the header, PolicyIr::header.settlement.)
struct InterpretOptions {
  runtime::Date horizon;  // the last day evaluated, included
  // Days on which to record what is owed after that day's events
  // (`expect balance ... at` in policy tests).
  std::vector<runtime::Date> balance_probes;
  // The engine Interpret() runs (compiler/engine.h); none: the interpreter
  // engine, made for the call.
  const PolicyEngine* engine = nullptr;
};

// The default horizon: 180 calendar days after the latest due date.
inline runtime::Date DefaultHorizon(const SubjectFacts& facts, std::int32_t days_after_due = 180) {
  runtime::Date latest;
  bool any = false;
  for (const InvoiceFacts& invoice : facts.invoices) {
    if (!any || invoice.due > latest) latest = invoice.due;
    any = true;
  }
  return latest.AddDays(days_after_due);
}

}  // namespace recoup::compiler
