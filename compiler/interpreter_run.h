// The state of one interpreter run and the day loop over it. Internal to
// the interpreter: Interpret() in interpreter.cpp is the public entry.
// Each member function implements one rule of docs/semantics.md; the
// section is named next to it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "compiler/interpreter.h"
#include "compiler/interpreter_account.h"
#include "compiler/interpreter_dates.h"
#include "compiler/interpreter_expression.h"
#include "runtime/calendar.h"

namespace recoup::compiler::interpreter {

// Where one step stands.
struct StepState {
  bool done = false;                           // fired, or decided never to fire
  bool date_known = false;                     // its date has been computed once (known-late check)
  std::optional<runtime::Date> waiting_since;  // an occurrence deferred by a pause: its own date
  std::int64_t waiting_occurrence = 0;
  std::optional<runtime::Date> last_decided;   // at most one decision per step per day
  std::int64_t fired = 0;
  std::optional<runtime::Date> first_fired;
  bool interest_reported = false;
};

// Where a step's next chance is on one day.
struct Occurrence {
  DateStatus status = DateStatus::Known;
  runtime::Date date;
  std::int64_t index = 0;     // recurring: which occurrence
  StepId waiting_for = kNoId;
};

enum class PauseEffect : std::uint8_t { None, Defer, Skip };

struct PauseState {
  PauseEffect effect = PauseEffect::None;
  std::string reason;  // "dispute", "promise to pay"
};

// Why the subject is no longer open for the policy's steps.
enum class EndKind : std::uint8_t { None, WrittenOff, Placed, Stopped };

class Run {
 public:
  Run(const PolicyIr& policy, const SubjectFacts& facts, const InterpretOptions& options);
  InterpretResult Execute();

 private:
  // Setup (section 13): which invoices the policy covers.
  void SelectInvoices();
  // The day loop (section 2).
  void RunDay(runtime::Date day);
  void ApplyPayments(runtime::Date day);
  void NoteDisputesAndPromises(runtime::Date day);
  bool IsEventDay(runtime::Date day);
  void RunStops(runtime::Date day);
  void RunSteps(runtime::Date day);
  // Sections 4 and 5: one step's chance on one day; true when something was decided.
  bool TryStep(StepId id, runtime::Date day);
  Occurrence Locate(StepId id, runtime::Date day);
  std::optional<runtime::Date> UntilDate(const Trigger& trigger, runtime::Date day);
  void Fire(Cause cause, runtime::Date day, runtime::Date scheduled, std::int64_t occurrence,
            std::vector<GuardRead> reads, const std::vector<Action>& actions);
  // Sections 7, 8, 9, 11: one action.
  ActionRecord RunAction(const Action& action, Cause cause, runtime::Date day);
  std::int64_t FeeAmount(const Action& action, runtime::Date day, std::string& detail);
  // Section 6.
  PauseState PauseOn(runtime::Date day) const;
  // Section 4: open for steps; `why` says why not.
  bool Active(runtime::Date day, NotFiredReason* why, std::string* detail);
  // Finishing (sections 9, 14, 15).
  void Finish();
  void ReportUnfinished();
  void CheckConservation();

  // Helpers.
  std::vector<InvoiceAccount*> OpenAccounts(runtime::Date day);
  InvoiceAccount* OldestOpen(runtime::Date day);
  InvoiceAccount* AnchorAccount(runtime::Date day);
  // Where a fee is posted (section 12): the anchor account, or for a customer
  // with nothing open (`stop when paid` actions) its oldest invoice.
  InvoiceAccount* FeeAccount(runtime::Date day);
  InvoiceAccount* FindAccount(const std::string& id);
  AnchorFacts AnchorFactsOn(runtime::Date day);
  EvaluationContext ContextOn(runtime::Date day, InvoiceAccount* invoice);
  bool Evaluates(ExpressionId expression, runtime::Date day, std::vector<GuardRead>& reads);
  void AddNotFired(Cause cause, std::optional<runtime::Date> date, NotFiredReason reason, std::string detail,
                   std::vector<GuardRead> reads = {});
  LedgerEvent& AddLedger(LedgerEvent::Kind kind, runtime::Date day, std::string invoice, std::int64_t amount);
  void Snapshot(runtime::Date day);
  runtime::Money Money(std::int64_t minor) const { return runtime::Money{minor, policy_.header.currency}; }
  bool IsCustomer() const { return policy_.header.subject == SubjectKind::Customer; }
  std::string StepName(StepId id) const;

  const PolicyIr& policy_;
  const SubjectFacts& facts_;
  InterpretOptions options_;
  runtime::BusinessCalendar calendar_;
  InterpretResult result_;
  ErrorSink sink_;
  std::vector<InvoiceAccount> accounts_;  // covered invoices, by due, issue, id
  std::vector<StepState> steps_;
  std::vector<std::int64_t> fired_counts_;
  std::vector<std::optional<runtime::Date>> first_fired_;
  std::vector<PromiseFacts> promises_;    // with the made day filled in
  std::optional<PromiseFacts> promise_;   // the first promise (section 3)
  EndKind end_kind_ = EndKind::None;
  std::optional<runtime::Date> ended_on_;
  std::string end_detail_;
  std::optional<runtime::Date> placed_on_;
  std::int64_t unapplied_ = 0;
  std::int64_t collected_ = 0;
  std::uint32_t sequence_ = 0;
  bool paid_stop_ran_ = false;            // `stop when paid` actions ran
  bool service_suspended_ = false;        // section 11: `suspend service` ran, `resume service` not since
  bool credit_held_ = false;              // section 11: `hold credit` ran, `release credit` not since
  bool day_changed_ = false;              // something happened today (for the balance series)
};

}  // namespace recoup::compiler::interpreter
