// Turning a columnar ledger into the subjects a policy runs over: one per
// invoice, or one per customer with all its invoices (`subject customer`).
// Only invoices in the policy's currency that are not credit notes are
// given to the policy; the others are counted as not covered. Historical
// actions and adjustments are never part of a subject (the policy decides
// its own actions); the replay reports them apart.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "compiler/engine_abi.h"
#include "compiler/policy_ir.h"
#include "compiler/subject_facts.h"
#include "compiler/subject_view.h"
#include "runtime/currency.h"
#include "runtime/date.h"
#include "runtime/ledger.h"

namespace recoup::simulation {

// Invoices of one currency left out because they are not in the policy's.
struct CurrencyCount {
  runtime::CurrencyId currency = 0;
  std::uint64_t invoices = 0;
  std::int64_t amount = 0;  // minor units of `currency`
  friend bool operator==(const CurrencyCount&, const CurrencyCount&) = default;
};

// A ledger attribute column the policy reads, and where it comes from.
struct AttributeSource {
  std::string name;       // as the policy and the ledger name it (lower case)
  std::size_t column = 0; // index into the ledger's AttributeColumns
};

// A declared attribute's ledger column, parsed to the declared type once
// per distinct text (slot_by_text is indexed by Ledger::texts ids), so no
// subject parses anything.
struct ParsedAttribute {
  compiler::AttributeId id = 0;
  bool on_invoice = true;
  std::size_t column = 0;
  std::vector<compiler::abi::AttributeSlot> slot_by_text;
};

// Which subjects a ledger holds for one policy, in a fixed order: invoice
// subjects in ledger order, customer subjects in customer order with their
// invoices in ledger order. Building facts for subject i is independent of
// every other subject, so threads can build them in any order.
struct SubjectPlan {
  compiler::SubjectKind kind = compiler::SubjectKind::Invoice;
  runtime::CurrencyId currency = 0;
  // Invoices given to the policy, grouped by subject: subject s holds
  // invoice_order[subject_begin[s] .. subject_begin[s + 1]).
  std::vector<std::uint32_t> invoice_order;
  std::vector<std::uint32_t> subject_begin;
  std::vector<std::uint32_t> subject_customer;  // ledger customer index per subject
  // Not given to the policy: other currencies (sorted by code) and credit notes.
  std::vector<CurrencyCount> other_currencies;
  std::uint64_t credit_notes = 0;
  std::int64_t credit_note_amount = 0;  // policy currency, negative
  std::uint64_t issued_after_as_of = 0;  // only with an explicit as_of day
  // The last day the ledger knows about (see LedgerEnd); no run looks past it.
  runtime::Date as_of;
  // Columns read by the policy, and the built-in ones the interpreter reads
  // from customer attributes (country, late_payments) when the ledger has them.
  std::vector<AttributeSource> invoice_attributes;
  std::vector<AttributeSource> customer_attributes;
  // For the engines' SubjectViews: declared attributes parsed once, and
  // the customers' `country` and `late_payments` columns when present.
  std::vector<ParsedAttribute> parsed_attributes;
  std::optional<std::size_t> country_column;
  std::vector<std::int64_t> prior_late_payments;  // per customer (0 without the column)

  std::size_t subject_count() const { return subject_customer.size(); }
};

// The plan, or a plain sentence saying why the ledger cannot feed the
// policy (it reads a column the ledger does not have).
struct PlanResult {
  std::optional<SubjectPlan> plan;
  std::string error;
};

// The last day with anything in the ledger: the latest issue date, payment,
// adjustment, dispute opening or resolution, promise made, or action. What
// happened after the ledger was extracted is unknown, so no replay runs past it.
runtime::Date LedgerEnd(const runtime::Ledger& ledger);

// Groups the ledger's invoices into subjects for `policy`. `as_of` replaces
// LedgerEnd when given.
PlanResult PlanSubjects(const runtime::Ledger& ledger, const compiler::PolicyIr& policy,
                        std::optional<runtime::Date> as_of);

// Fills `facts` with subject `subject` of the plan: invoices, payments,
// disputes, promises, customer segment and attributes. `facts` is cleared
// first; a caller may reuse one SubjectFacts for many subjects.
void BuildSubjectFacts(const runtime::Ledger& ledger, const SubjectPlan& plan, std::size_t subject,
                       compiler::SubjectFacts& facts);

// Fills `storage` (reusing its buffers) with subject `subject` of the plan
// as an engine reads it, straight from the columns: the same subject as
// BuildSubjectFacts gives, with names pointing into the ledger's pools.
const compiler::abi::SubjectView& BuildSubjectView(const runtime::Ledger& ledger, const SubjectPlan& plan,
                                                  std::size_t subject, compiler::SubjectViewStorage& storage);

// Cache warming for a subject a few places ahead of the one being built:
// its first invoice's columns and CSR offsets, and its customer's rows
// (segment, id, prior late payments), which are read in no order when
// invoices of many customers interleave. Reads nothing but the plan.
void PrefetchSubject(const runtime::Ledger& ledger, const SubjectPlan& plan, std::size_t subject);

// The horizon of subject `subject`: `horizon_days` after its latest due
// date, but never past the plan's as_of day.
runtime::Date SubjectHorizon(const runtime::Ledger& ledger, const SubjectPlan& plan, std::size_t subject,
                             std::int32_t horizon_days);

}  // namespace recoup::simulation
