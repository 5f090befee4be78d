// Spellings of the IR's enumerations, shared by the printer and messages.
#include "compiler/policy_ir.h"

#include "language/syntax_tree.h"

namespace recoup::compiler {

const char* FieldSpelling(Field field) {
  switch (field) {
    case Field::InvoiceId: return "invoice.id";
    case Field::InvoiceAmount: return "invoice.amount";
    case Field::InvoiceBalance: return "invoice.balance";
    case Field::InvoicePrincipal: return "invoice.principal";
    case Field::InvoiceDaysPastDue: return "invoice.days_past_due";
    case Field::InvoiceCurrency: return "invoice.currency";
    case Field::InvoiceIssue: return "invoice.issue";
    case Field::InvoiceDue: return "invoice.due";
    case Field::CustomerId: return "customer.id";
    case Field::CustomerSegment: return "customer.segment";
    case Field::CustomerCountry: return "customer.country";
    case Field::CustomerOpenBalance: return "customer.open_balance";
    case Field::CustomerOpenInvoices: return "customer.open_invoices";
    case Field::CustomerLatePayments: return "customer.late_payments";
  }
  return "?";
}

const char* ActionSpelling(ActionKind kind) {
  // The IR's action kinds mirror the syntax tree's one for one; the source
  // spelling lives there.
  static_assert(static_cast<int>(ActionKind::WriteOff) == static_cast<int>(language::ActionKind::WriteOff));
  static_assert(static_cast<int>(ActionKind::Agency) == static_cast<int>(language::ActionKind::Agency));
  return language::ActionKindName(static_cast<language::ActionKind>(kind));
}

}  // namespace recoup::compiler
