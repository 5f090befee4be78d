// The benchmark policy of `make bench-jit`, examples/customer-suspension-ladder.recoup,
// written by hand in C++ over the same SubjectViews the engines read: what
// a programmer would write for that one policy, compiled at -O2 with the
// benchmark. It is the practical limit the JIT is measured against (issue
// #6: within 1.3x). Its outcome (firings and their actions, payments as
// applied, per-invoice totals) is compared with the engines' traces on
// every subject by the benchmark (RunOutcome below), so it cannot silently
// compute something else.
//
// What it hard-codes, from the policy and docs/semantics.md: a customer
// subject whose anchors are its oldest open invoice (section 12); USD; no
// pauses, fees or interest, so payments settle principal only; steps
// `due + 10d`, `due + 30d` if the open balance is at least 1,000.00 or
// three invoices are open, `due + 60d` if the open balance is at least
// 5,000.00, `suspension + 30d`; `stop when paid` with two actions, run the
// first event day on which every invoice is settled.
#pragma once

#include <algorithm>
#include <cstdint>
#include <initializer_list>
#include <string_view>
#include <vector>

#include "compiler/engine_abi.h"
#include "compiler/policy_ir.h"

namespace recoup::bench {

// What one run decided, flat, for comparison: the same encoding for a
// trace (FromTrace) and for the hand-written run.
struct RunOutcome {
  std::vector<std::int64_t> words;
  void Clear() { words.clear(); }
  friend bool operator==(const RunOutcome&, const RunOutcome&) = default;
};

// Encoding sections, each introduced by a tag so that a difference says where.
enum OutcomeTag : std::int64_t { kFiring = 1'000'001, kAction, kPayment, kInvoice, kTotals, kError, kNotCovered };

// The outcome of an engine's trace: firings (cause, index, date) with their
// actions (kind, cost, invoices covered), payments (invoice name, date,
// amount, to principal, unapplied), invoices (index, applied, open,
// settled on), collected and unapplied totals, the error code, the number
// of invoices not covered.
inline void OutcomeFromTrace(const compiler::abi::Trace& trace, RunOutcome& outcome) {
  namespace abi = compiler::abi;
  std::vector<std::int64_t>& w = outcome.words;
  w.clear();
  w.push_back(kNotCovered);
  w.push_back(static_cast<std::int64_t>(trace.not_covered.size()));
  w.push_back(kError);
  w.push_back(static_cast<std::int64_t>(trace.error.code));
  for (const abi::FiringTrace& firing : trace.firings) {
    w.insert(w.end(), {kFiring, static_cast<std::int64_t>(firing.cause), firing.index, firing.date});
    for (std::uint32_t k = 0; k < firing.action_count; ++k) {
      const abi::ActionTrace& action = trace.actions[firing.first_action + k];
      w.insert(w.end(), {kAction, action.kind, action.cost, action.invoice_count});
    }
  }
  for (const abi::LedgerTrace& event : trace.ledger) {
    if (event.kind != abi::LedgerKind::Payment) continue;
    w.insert(w.end(), {kPayment, event.name, event.date, event.amount, event.to_principal, event.unapplied});
  }
  for (const abi::InvoiceTrace& invoice : trace.invoices) {
    w.insert(w.end(), {kInvoice, invoice.invoice, invoice.totals.applied, invoice.totals.open, invoice.settled_on});
  }
  w.insert(w.end(), {kTotals, trace.totals.collected, trace.totals.unapplied});
}

class HandwrittenLadder {
 public:
  // The costs of the actions, from the policy's cost table (a programmer
  // would have them as constants too).
  explicit HandwrittenLadder(const compiler::PolicyIr& policy) {
    for (std::size_t k = 0; k < compiler::kActionKindCount; ++k) costs_[k] = policy.header.costs[k].minor;
  }

  // Whether `policy` is the one written here (by its name).
  static bool Matches(const compiler::PolicyIr& policy) { return policy.header.name == "Customer suspension ladder"; }

  void Run(const compiler::abi::SubjectView& subject, std::int32_t horizon, RunOutcome& outcome) {
    namespace abi = compiler::abi;
    using compiler::ActionKind;
    std::vector<std::int64_t>& w = outcome.words;
    w.clear();
    subject_ = &subject;
    // Section 13: `applies to customer.segment != "internal"`, one customer.
    std::string_view segment(subject.segment.data, subject.segment.size);
    bool covered = segment != "internal";
    w.insert(w.end(), {kNotCovered, covered ? 0 : static_cast<std::int64_t>(subject.invoice_count), kError, 0});
    if (!covered || subject.invoice_count == 0) {
      w.insert(w.end(), {kTotals, 0, 0});
      return;
    }
    // The covered invoices, oldest first (due, issue, id).
    accounts_.clear();
    for (std::uint32_t i = 0; i < subject.invoice_count; ++i) {
      const abi::InvoiceView& invoice = subject.invoices[i];
      Account account{static_cast<std::int32_t>(i), invoice.name, invoice.issue, invoice.due, invoice.amount, invoice.amount,
                      abi::kNoDate};
      std::size_t at = accounts_.size();
      accounts_.push_back(account);
      while (at > 0 && Before(account, accounts_[at - 1])) {
        accounts_[at] = accounts_[at - 1];
        --at;
      }
      accounts_[at] = account;
    }
    account_of_name_.assign(subject.name_count, -1);
    std::int32_t start = accounts_[0].issue;
    for (std::size_t a = 0; a < accounts_.size(); ++a) {
      account_of_name_[static_cast<std::size_t>(accounts_[a].name)] = static_cast<std::int32_t>(a);
      start = std::min(start, accounts_[a].issue);
    }
    // Payments by date, in the order given within a day.
    payments_.assign(subject.payments, subject.payments + subject.payment_count);
    for (std::size_t a = 1; a < payments_.size(); ++a) {
      abi::PaymentView moving = payments_[a];
      std::size_t b = a;
      while (b > 0 && payments_[b - 1].date > moving.date) {
        payments_[b] = payments_[b - 1];
        --b;
      }
      payments_[b] = moving;
    }
    firings_.clear();
    payment_words_.clear();
    collected_ = unapplied_ = 0;

    constexpr std::int32_t kNone = abi::kNoDate;
    bool done[4] = {false, false, false, false};
    std::int32_t suspended_on = kNone;
    bool credit_held = false;
    bool paid_stop_ran = false;
    std::size_t next_payment = 0;
    for (std::int32_t day = start; day <= horizon;) {
      // Section 7: the day's payments (those dated before the start on the start).
      bool event_day = day == horizon;
      while (next_payment < payments_.size() && (payments_[next_payment].date == day || payments_[next_payment].date < start)) {
        if (!ApplyPayment(payments_[next_payment], day)) return Failed(outcome);
        ++next_payment;
        event_day = true;
      }
      const Account* oldest = OldestOpen(day);
      std::int32_t anchor_due = oldest != nullptr ? oldest->due : kNone;
      std::int32_t dates[4] = {
          oldest != nullptr && !done[0] ? anchor_due + 10 : kNone,
          oldest != nullptr && !done[1] ? anchor_due + 30 : kNone,
          oldest != nullptr && !done[2] ? anchor_due + 60 : kNone,
          suspended_on != kNone && !done[3] ? suspended_on + 30 : kNone,
      };
      for (std::int32_t date : dates) event_day |= date == day;
      // Section 10: `stop when paid: release credit, resume service`;
      // section 11: each only if credit is held, service suspended.
      if (event_day && !paid_stop_ran && oldest == nullptr && AllSettledBy(day)) {
        paid_stop_ran = true;
        bool suspended = suspended_on != kNone;
        if (credit_held && suspended) {
          Fire(abi::CauseKind::Stop, 0, day, {ActionKind::ReleaseCredit, ActionKind::ResumeService}, 0);
        } else if (credit_held) {
          Fire(abi::CauseKind::Stop, 0, day, {ActionKind::ReleaseCredit}, 0);
        } else if (suspended) {
          Fire(abi::CauseKind::Stop, 0, day, {ActionKind::ResumeService}, 0);
        } else {
          Fire(abi::CauseKind::Stop, 0, day, {}, 0);
        }
      }
      // Sections 4 and 12: the steps due today, in source order.
      if (dates[0] == day) {
        done[0] = true;
        Fire(abi::CauseKind::Step, 0, day, {ActionKind::Notice}, OpenCount(day));
      }
      if (dates[1] == day) {
        done[1] = true;
        std::int64_t open_balance = OpenBalance(day);
        std::int64_t open_invoices = OpenCount(day);
        if (open_balance >= 100000 || open_invoices >= 3) {
          credit_held = true;
          Fire(abi::CauseKind::Step, 1, day, {ActionKind::HoldCredit, ActionKind::Email}, open_invoices);
        }
      }
      if (dates[2] == day) {
        done[2] = true;
        if (OpenBalance(day) >= 500000) {
          suspended_on = day;
          Fire(abi::CauseKind::Step, 2, day, {ActionKind::SuspendService, ActionKind::Letter}, OpenCount(day));
        }
      }
      if (dates[3] == day) {
        done[3] = true;
        if (oldest != nullptr) Fire(abi::CauseKind::Step, 3, day, {ActionKind::Task}, OpenCount(day));
      }
      // The next day anything can happen: a payment, an issue date, a step's date, the horizon.
      std::int32_t next = horizon > day ? horizon : kNone;
      auto consider = [&](std::int32_t candidate) {
        if (candidate != kNone && candidate > day && (next == kNone || candidate < next)) next = candidate;
      };
      if (next_payment < payments_.size()) consider(payments_[next_payment].date);
      for (const Account& account : accounts_) consider(account.issue);
      const Account* tomorrow = OldestOpen(day + 1);
      if (tomorrow != nullptr) {
        if (!done[0]) consider(tomorrow->due + 10);
        if (!done[1]) consider(tomorrow->due + 30);
        if (!done[2]) consider(tomorrow->due + 60);
      }
      if (suspended_on != kNone && !done[3]) consider(suspended_on + 30);
      if (next == kNone) break;
      day = next;
    }
    // Sections 14 and 15: what each invoice came to.
    for (const Firing& firing : firings_) {
      w.insert(w.end(), {kFiring, static_cast<std::int64_t>(firing.cause), firing.index, firing.date});
      for (std::uint8_t k = 0; k < firing.action_count; ++k) {
        auto kind = static_cast<std::size_t>(firing.actions[k]);
        w.insert(w.end(), {kAction, static_cast<std::int64_t>(kind), costs_[kind], firing.covered});
      }
    }
    w.insert(w.end(), payment_words_.begin(), payment_words_.end());
    for (const Account& account : accounts_) {
      w.insert(w.end(), {kInvoice, account.invoice, account.amount - account.principal, account.principal, account.settled_on});
    }
    w.insert(w.end(), {kTotals, collected_, unapplied_});
  }

 private:
  struct Account {
    std::int32_t invoice, name, issue, due;
    std::int64_t amount, principal;
    std::int32_t settled_on;
  };
  struct Firing {
    compiler::abi::CauseKind cause;
    std::uint32_t index;
    std::int32_t date;
    std::int64_t covered;
    compiler::ActionKind actions[2];
    std::uint8_t action_count;
  };

  bool Before(const Account& a, const Account& b) const {
    if (a.due != b.due) return a.due < b.due;
    if (a.issue != b.issue) return a.issue < b.issue;
    const compiler::abi::TextRef& x = subject_->names[a.name];
    const compiler::abi::TextRef& y = subject_->names[b.name];
    return std::string_view(x.data, x.size) < std::string_view(y.data, y.size);
  }

  const Account* OldestOpen(std::int32_t day) const {
    for (const Account& account : accounts_) {
      if (account.issue <= day && account.principal > 0) return &account;
    }
    return nullptr;
  }
  std::int64_t OpenCount(std::int32_t day) const {
    std::int64_t count = 0;
    for (const Account& account : accounts_) count += account.issue <= day && account.principal > 0;
    return count;
  }
  std::int64_t OpenBalance(std::int32_t day) const {
    std::int64_t sum = 0;
    for (const Account& account : accounts_) {
      if (account.issue <= day && account.principal > 0) sum += account.principal;
    }
    return sum;
  }
  bool AllSettledBy(std::int32_t day) const {
    for (const Account& account : accounts_) {
      if (account.settled_on == compiler::abi::kNoDate || account.settled_on > day) return false;
    }
    return true;
  }

  void Fire(compiler::abi::CauseKind cause, std::uint32_t index, std::int32_t day,
            std::initializer_list<compiler::ActionKind> actions, std::int64_t covered) {
    Firing& firing = firings_.emplace_back();
    firing.cause = cause;
    firing.index = index;
    firing.date = day;
    firing.covered = covered;
    firing.action_count = 0;
    for (compiler::ActionKind kind : actions) firing.actions[firing.action_count++] = kind;
  }

  // Section 7 for principal only; false on what this policy cannot take
  // (a payment naming no covered invoice with no invoice index).
  bool ApplyPayment(const compiler::abi::PaymentView& payment, std::int32_t day) {
    namespace abi = compiler::abi;
    std::int32_t named = payment.name == abi::kNoIndex ? -1 : account_of_name_[static_cast<std::size_t>(payment.name)];
    if (payment.name != abi::kNoIndex && named < 0) return payment.invoice != abi::kNoIndex;
    collected_ += payment.amount;
    std::int64_t remaining = payment.amount;
    auto apply = [&](Account& account, bool last_target) {
      std::int64_t take = std::min(remaining, account.principal);
      if (take < 0) take = 0;
      account.principal -= take;
      if (account.settled_on == abi::kNoDate && account.principal == 0) account.settled_on = day;
      std::int64_t left = remaining - take;
      bool last = last_target || left == 0;
      payment_words_.insert(payment_words_.end(), {kPayment, account.name, day, last ? remaining : take, take, last ? left : 0});
      if (last) {
        unapplied_ += left;
        remaining = 0;
      } else {
        remaining = left;
      }
    };
    if (named >= 0) {
      if (remaining > 0) apply(accounts_[static_cast<std::size_t>(named)], true);
      return true;
    }
    std::size_t open = 0;
    for (const Account& account : accounts_) open += account.issue <= day && account.principal > 0;
    if (open == 0) {
      payment_words_.insert(payment_words_.end(), {kPayment, payment.name, day, payment.amount, 0, payment.amount});
      unapplied_ += payment.amount;
      return true;
    }
    std::size_t seen = 0;
    for (Account& account : accounts_) {
      if (remaining <= 0) break;
      if (!(account.issue <= day && account.principal > 0)) continue;
      apply(account, ++seen == open);
    }
    return true;
  }

  void Failed(RunOutcome& outcome) {
    outcome.words = {kNotCovered, 0, kError, -1};
  }

  const compiler::abi::SubjectView* subject_ = nullptr;
  std::int64_t costs_[compiler::kActionKindCount] = {};
  std::vector<Account> accounts_;
  std::vector<std::int32_t> account_of_name_;
  std::vector<compiler::abi::PaymentView> payments_;
  std::vector<Firing> firings_;
  std::vector<std::int64_t> payment_words_;
  std::int64_t collected_ = 0, unapplied_ = 0;
};

}  // namespace recoup::bench
