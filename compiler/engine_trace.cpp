// The trace's storage: cleared between subjects without giving back memory.
#include "compiler/engine_abi.h"

namespace recoup::compiler::abi {

void Trace::Clear() {
  start = 0;
  horizon = 0;
  sequence = 0;
  firings.clear();
  actions.clear();
  covered.clear();
  not_fired.clear();
  ledger.clear();
  balances.clear();
  probes.clear();
  invoices.clear();
  not_covered.clear();
  reads.clear();
  totals = TotalsTrace{};
  conservation_ok = 1;
  error = ErrorTrace{};
}

}  // namespace recoup::compiler::abi
