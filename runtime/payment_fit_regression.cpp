// Newton's method for the fit's Poisson regression (payment_fit_internal.h):
// parameters that are linear combinations of earlier ones are dropped
// first, then the log-likelihood is maximised with step halving and the
// standard errors taken from the inverse observed information.
#include <algorithm>
#include <cmath>

#include "runtime/payment_fit_internal.h"

namespace recoup::runtime::fit_detail {
namespace {

// Pivots below this (on the information scaled to unit diagonal) mean the
// parameter is a linear combination of the earlier ones.
constexpr double kSingularPivot = 1e-9;
constexpr int kMaxIterations = 100;

// Cholesky of a symmetric positive-definite n x n matrix (row-major) in place;
// false when a pivot is not positive.
bool Cholesky(std::vector<double>& a, std::size_t n) {
  for (std::size_t j = 0; j < n; ++j) {
    double diagonal = a[j * n + j];
    for (std::size_t k = 0; k < j; ++k) diagonal -= a[j * n + k] * a[j * n + k];
    if (!(diagonal > 0)) return false;
    const double root = std::sqrt(diagonal);
    a[j * n + j] = root;
    for (std::size_t i = j + 1; i < n; ++i) {
      double value = a[i * n + j];
      for (std::size_t k = 0; k < j; ++k) value -= a[i * n + k] * a[j * n + k];
      a[i * n + j] = value / root;
    }
  }
  return true;
}

// Solves L L' x = b given the factor from Cholesky.
std::vector<double> CholeskySolve(const std::vector<double>& l, std::size_t n, std::vector<double> b) {
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t k = 0; k < i; ++k) b[i] -= l[i * n + k] * b[k];
    b[i] /= l[i * n + i];
  }
  for (std::size_t i = n; i-- > 0;) {
    for (std::size_t k = i + 1; k < n; ++k) b[i] -= l[k * n + i] * b[k];
    b[i] /= l[i * n + i];
  }
  return b;
}

class Regression {
 public:
  Regression(std::vector<Parameter>& parameters, std::vector<Cell> cells)
      : parameters_(parameters), cells_(std::move(cells)) {}

  // Marks as Fixed (with `note`) every free parameter that is a linear
  // combination of earlier ones at the current values.
  void DropCollinear(const std::string& note) {
    for (;;) {
      std::vector<std::uint32_t> free = FreeParameters();
      std::vector<double> information = Information(free);
      const std::size_t n = free.size();
      std::vector<double> scale(n);
      for (std::size_t i = 0; i < n; ++i) scale[i] = information[i * n + i] > 0 ? 1 / std::sqrt(information[i * n + i]) : 0;
      for (std::size_t i = 0; i < n; ++i) {
        for (std::size_t j = 0; j < n; ++j) information[i * n + j] *= scale[i] * scale[j];
      }
      // Sequential Cholesky: the first parameter whose pivot vanishes goes.
      bool dropped = false;
      for (std::size_t j = 0; j < n && !dropped; ++j) {
        double diagonal = information[j * n + j];
        for (std::size_t k = 0; k < j; ++k) diagonal -= information[j * n + k] * information[j * n + k];
        if (!(diagonal > kSingularPivot)) {
          Parameter& parameter = parameters_[free[j]];
          parameter.role = Role::Fixed;
          parameter.log_value = std::log(parameter.prior.value);
          parameter.note = note;
          dropped = true;
          break;
        }
        const double root = std::sqrt(diagonal);
        information[j * n + j] = root;
        for (std::size_t i = j + 1; i < n; ++i) {
          double value = information[i * n + j];
          for (std::size_t k = 0; k < j; ++k) value -= information[i * n + k] * information[j * n + k];
          information[i * n + j] = value / root;
        }
      }
      if (!dropped) return;
    }
  }

  // Newton's method with step halving; returns the iterations used, -1
  // when it did not converge.
  int Solve() {
    double previous = LogLikelihood();
    for (int iteration = 1; iteration <= kMaxIterations; ++iteration) {
      std::vector<std::uint32_t> free = FreeParameters();
      const std::size_t n = free.size();
      if (n == 0) return iteration;
      std::vector<double> score = Score(free);
      std::vector<double> information = Information(free);
      if (!Cholesky(information, n)) return -1;
      std::vector<double> step = CholeskySolve(information, n, score);
      double largest = 0;
      for (double value : step) largest = std::max(largest, std::fabs(value));
      // Keep any one step to a factor of e^3, so far-off starts cannot overflow.
      const double limit = largest > 3 ? 3 / largest : 1;
      double length = limit;
      std::vector<double> start(n);
      for (std::size_t i = 0; i < n; ++i) start[i] = parameters_[free[i]].log_value;
      double current = previous;
      for (int halving = 0; halving < 40; ++halving) {
        for (std::size_t i = 0; i < n; ++i) parameters_[free[i]].log_value = start[i] + length * step[i];
        current = LogLikelihood();
        if (current >= previous - 1e-12 * std::fabs(previous)) break;
        length /= 2;
      }
      const bool done = largest * length < 1e-10 || std::fabs(current - previous) <= 1e-13 * std::fabs(previous);
      previous = current;
      if (done) return iteration;
    }
    return -1;
  }

  // Standard errors of the free parameters' logs from the observed information.
  bool StandardErrors() {
    std::vector<std::uint32_t> free = FreeParameters();
    const std::size_t n = free.size();
    std::vector<double> information = Information(free);
    if (!Cholesky(information, n)) return false;
    standard_errors_.assign(parameters_.size(), 0);
    for (std::size_t i = 0; i < n; ++i) {
      std::vector<double> unit(n, 0);
      unit[i] = 1;
      std::vector<double> column = CholeskySolve(information, n, unit);
      standard_errors_[free[i]] = std::sqrt(std::max(0.0, column[i]));
    }
    return true;
  }
  double StandardError(std::size_t parameter) const {
    return parameter < standard_errors_.size() ? standard_errors_[parameter] : 0;
  }

 private:
  std::vector<std::uint32_t> FreeParameters() const {
    std::vector<std::uint32_t> free;
    for (std::uint32_t p = 0; p < parameters_.size(); ++p) {
      if (parameters_[p].role == Role::Free) free.push_back(p);
    }
    return free;
  }
  // Expected payments in a cell; 0 when its base has no payments at all.
  double Mean(const Cell& cell) const {
    double eta = 0;
    for (std::uint32_t p : cell.parameters) {
      if (parameters_[p].role == Role::Zero) return 0;
      eta += parameters_[p].log_value;
    }
    return cell.days * std::exp(eta);
  }
  double LogLikelihood() const {
    double total = 0;
    for (const Cell& cell : cells_) {
      const double mean = Mean(cell);
      if (mean <= 0) continue;
      total += cell.payments * std::log(mean) - mean;
    }
    return total;
  }
  std::vector<std::int32_t> Positions(const std::vector<std::uint32_t>& free) const {
    std::vector<std::int32_t> position(parameters_.size(), -1);
    for (std::size_t i = 0; i < free.size(); ++i) position[free[i]] = static_cast<std::int32_t>(i);
    return position;
  }
  std::vector<double> Score(const std::vector<std::uint32_t>& free) const {
    std::vector<std::int32_t> position = Positions(free);
    std::vector<double> score(free.size(), 0);
    for (const Cell& cell : cells_) {
      const double mean = Mean(cell);
      if (mean <= 0) continue;
      for (std::uint32_t p : cell.parameters) {
        if (position[p] >= 0) score[position[p]] += cell.payments - mean;
      }
    }
    return score;
  }
  std::vector<double> Information(const std::vector<std::uint32_t>& free) const {
    std::vector<std::int32_t> position = Positions(free);
    const std::size_t n = free.size();
    std::vector<double> information(n * n, 0);
    for (const Cell& cell : cells_) {
      const double mean = Mean(cell);
      if (mean <= 0) continue;
      for (std::uint32_t a : cell.parameters) {
        if (position[a] < 0) continue;
        for (std::uint32_t b : cell.parameters) {
          if (position[b] >= 0) information[position[a] * n + position[b]] += mean;
        }
      }
    }
    return information;
  }

  std::vector<Parameter>& parameters_;
  std::vector<Cell> cells_;
  std::vector<double> standard_errors_;
};

}  // namespace

RegressionResult FitPoisson(std::vector<Parameter>& parameters, std::vector<Cell> cells,
                            const std::string& collinear_note) {
  Regression regression(parameters, std::move(cells));
  regression.DropCollinear(collinear_note);
  RegressionResult result;
  const int iterations = regression.Solve();
  result.converged = iterations > 0 && regression.StandardErrors();
  result.iterations = iterations > 0 ? iterations : kMaxIterations;
  result.standard_errors.assign(parameters.size(), 0);
  for (std::size_t p = 0; p < parameters.size(); ++p) result.standard_errors[p] = regression.StandardError(p);
  return result;
}

}  // namespace recoup::runtime::fit_detail
