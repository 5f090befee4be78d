#include "tools/recoup/svg_chart.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace recoup::driver::svg {
namespace {

constexpr double kCharWidth = 7.0;  // an estimate at 12px, for laying out the legend
// Interval bands are see-through so that overlapping bands and the lines stay visible.
constexpr double kBandOpacity = 0.2;

double Scale(double value, double low, double high, double from, double to) {
  if (high <= low) return from;
  return from + (value - low) / (high - low) * (to - from);
}

// A vertical whisker at `x` from `top` to `bottom` with caps `cap` wide:
// dark on a white halo, so it shows on every bar colour and on white.
std::string Whisker(double x, double top, double bottom, double cap) {
  std::string svg;
  for (const char* stroke : {"stroke=\"#ffffff\" stroke-width=\"3.5\"", "stroke=\"#1a1a1a\" stroke-width=\"1.5\""}) {
    svg += fmt::format("<path d=\"M{0} {2}H{1}M{3} {2}V{4}M{0} {4}H{1}\" fill=\"none\" {5}/>", Number(x - cap / 2),
                       Number(x + cap / 2), Number(top), Number(x), Number(bottom), stroke);
  }
  return svg;
}

}  // namespace

const char* SeriesColour(std::size_t index) {
  // Okabe & Ito (2008): blue, orange, bluish green, vermillion, reddish
  // purple, sky blue, black; yellow is left out (too light on white).
  static const char* const kColours[] = {"#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#000000"};
  return kColours[index % std::size(kColours)];
}

const char* SeriesDash(std::size_t index) {
  static const char* const kDashes[] = {"", "8 4", "2 3", "10 3 2 3", "4 4", "12 2", "1 2"};
  return kDashes[index % std::size(kDashes)];
}

std::string Escape(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string Number(double value) {
  std::string text = fmt::format("{:.1f}", value);
  return text == "-0.0" ? "0.0" : text;
}

std::vector<double> NiceTicks(double low, double high, int wanted) {
  if (!(high > low)) high = low + 1;
  double raw = (high - low) / std::max(1, wanted);
  double power = std::pow(10.0, std::floor(std::log10(raw)));
  double step = power;
  for (double factor : {1.0, 2.0, 5.0, 10.0}) {
    step = factor * power;
    if (step >= raw) break;
  }
  std::vector<double> ticks;
  double first = std::floor(low / step + 1e-9), last = std::ceil(high / step - 1e-9);
  for (double k = first; k <= last; k += 1) ticks.push_back(k == 0 ? 0.0 : k * step);
  return ticks;
}

std::string Compact(double value) {
  double magnitude = std::abs(value);
  auto trimmed = [](double number, const char* suffix) {
    std::string text = fmt::format("{:.1f}", number);
    if (text.size() > 2 && text.compare(text.size() - 2, 2, ".0") == 0) text.resize(text.size() - 2);
    return text + suffix;
  };
  if (magnitude >= 1e9) return trimmed(value / 1e9, "B");
  if (magnitude >= 1e6) return trimmed(value / 1e6, "M");
  if (magnitude >= 1e3) return trimmed(value / 1e3, "k");
  return trimmed(value, "");
}

std::string OpenChart(const std::string& id, const std::string& title, const std::string& description,
                      const std::vector<std::string>& legend, bool lines, Frame& frame, const std::string& band_label,
                      const std::string& whisker_label) {
  std::string svg = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"{0}\" class=\"chart\" viewBox=\"0 0 {1} {2}\" width=\"{1}\" "
      "height=\"{2}\" role=\"img\" aria-labelledby=\"{0}-title {0}-desc\" font-family=\"system-ui, sans-serif\" "
      "font-size=\"12\">\n<title id=\"{0}-title\">{3}</title>\n<desc id=\"{0}-desc\">{4}</desc>\n"
      "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n"
      "<text x=\"{5}\" y=\"22\" font-size=\"15\" font-weight=\"600\" fill=\"#1a1a1a\">{3}</text>\n",
      id, Number(frame.width), Number(frame.height), Escape(title), Escape(description), Number(frame.left));
  double x = frame.left, y = 44;
  for (std::size_t i = 0; i < legend.size(); ++i) {
    double item = 28 + legend[i].size() * kCharWidth + 18;
    if (x + item > frame.width - frame.right && x > frame.left) {
      x = frame.left;
      y += 18;
    }
    if (lines) {
      svg += fmt::format("<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{}\" stroke-width=\"3\"{}/>", Number(x),
                         Number(y - 4), Number(x + 22), Number(y - 4), SeriesColour(i),
                         *SeriesDash(i) ? fmt::format(" stroke-dasharray=\"{}\"", SeriesDash(i)) : "");
    } else {
      svg += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"14\" height=\"10\" fill=\"{}\"/>", Number(x + 4), Number(y - 9),
                         SeriesColour(i));
    }
    svg += fmt::format("<text x=\"{}\" y=\"{}\" fill=\"#1a1a1a\">{}</text>\n", Number(x + 28), Number(y),
                       Escape(legend[i]));
    x += item;
  }
  if (!band_label.empty()) {
    double item = 28 + band_label.size() * kCharWidth + 18;
    if (x + item > frame.width - frame.right && x > frame.left) {
      x = frame.left;
      y += 18;
    }
    // A swatch shaded like the bands: each policy's colour, translucent, side by side.
    std::size_t swatches = std::max<std::size_t>(1, std::min<std::size_t>(legend.size(), 3));
    for (std::size_t i = 0; i < swatches; ++i) {
      svg += fmt::format("<rect class=\"band-swatch\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"12\" fill=\"{}\" "
                         "fill-opacity=\"{}\"/>",
                         Number(x + 22.0 * i / swatches), Number(y - 10), Number(22.0 / swatches), SeriesColour(i),
                         Number(kBandOpacity));
    }
    svg += fmt::format("<text x=\"{}\" y=\"{}\" fill=\"#1a1a1a\">{}</text>\n", Number(x + 28), Number(y),
                       Escape(band_label));
  }
  if (!whisker_label.empty()) {
    double item = 28 + whisker_label.size() * kCharWidth + 18;
    if (x + item > frame.width - frame.right && x > frame.left) {
      x = frame.left;
      y += 18;
    }
    svg += fmt::format("<g class=\"whisker-swatch\">{}</g>", Whisker(x + 11, y - 12, y + 1, 8));
    svg += fmt::format("<text x=\"{}\" y=\"{}\" fill=\"#1a1a1a\">{}</text>\n", Number(x + 28), Number(y),
                       Escape(whisker_label));
  }
  frame.top = y + 18;
  return svg;
}

std::string ValueAxis(const Frame& frame, const std::vector<double>& ticks, double low, double high,
                      const TickFormat& format, const std::string& label) {
  std::string svg;
  for (double tick : ticks) {
    double y = Scale(tick, low, high, frame.plot_bottom(), frame.plot_top());
    svg += fmt::format("<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#dddddd\"/>", Number(frame.plot_left()),
                       Number(y), Number(frame.plot_right()), Number(y));
    svg += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"end\" fill=\"#333333\">{}</text>\n",
                       Number(frame.plot_left() - 6), Number(y + 4), Escape(format(tick)));
  }
  double middle = (frame.plot_top() + frame.plot_bottom()) / 2;
  svg += fmt::format("<text transform=\"translate(16 {}) rotate(-90)\" text-anchor=\"middle\" fill=\"#1a1a1a\">{}</text>\n",
                     Number(middle), Escape(label));
  svg += fmt::format("<line x1=\"{0}\" y1=\"{1}\" x2=\"{2}\" y2=\"{1}\" stroke=\"#555555\"/>\n", Number(frame.plot_left()),
                     Number(frame.plot_bottom()), Number(frame.plot_right()));
  return svg;
}

std::string AxisLabelBelow(const Frame& frame, const std::string& label) {
  return fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" fill=\"#1a1a1a\">{}</text>\n",
                     Number((frame.plot_left() + frame.plot_right()) / 2), Number(frame.height - 12), Escape(label));
}

std::string LineChart(const LineChartSpec& spec) {
  Frame frame;
  std::vector<std::string> legend;
  for (const LineSeries& series : spec.series) legend.push_back(series.name);
  bool bands = std::any_of(spec.series.begin(), spec.series.end(),
                          [](const LineSeries& s) { return !s.x.empty() && s.low.size() == s.x.size() && s.high.size() == s.x.size(); });
  std::string svg = OpenChart(spec.id, spec.title, spec.description, legend, true, frame, bands ? spec.band_label : "");
  double x_low = 0, x_high = 1, y_high = 0;
  bool first = true;
  for (const LineSeries& series : spec.series) {
    for (std::size_t i = 0; i < series.x.size(); ++i) {
      x_low = first ? series.x[i] : std::min(x_low, series.x[i]);
      x_high = first ? series.x[i] : std::max(x_high, series.x[i]);
      first = false;
      y_high = std::max(y_high, series.y[i]);
      if (i < series.high.size()) y_high = std::max(y_high, series.high[i]);
    }
  }
  if (spec.y_max) y_high = *spec.y_max;
  if (y_high <= 0) y_high = 1;
  if (x_high <= x_low) x_high = x_low + 1;
  std::vector<double> y_ticks = NiceTicks(0, y_high, 5);
  y_high = std::max(y_high, y_ticks.back());
  svg += ValueAxis(frame, y_ticks, 0, y_high, spec.y_tick, spec.y_label);
  for (double tick : NiceTicks(x_low, x_high, 8)) {
    if (tick < x_low || tick > x_high) continue;
    double x = Scale(tick, x_low, x_high, frame.plot_left(), frame.plot_right());
    svg += fmt::format("<line x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" stroke=\"#555555\"/>", Number(x),
                       Number(frame.plot_bottom()), Number(frame.plot_bottom() + 5));
    svg += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" fill=\"#333333\">{}</text>\n", Number(x),
                       Number(frame.plot_bottom() + 18), Escape(spec.x_tick(tick)));
  }
  svg += AxisLabelBelow(frame, spec.x_label);
  auto point = [&](double x, double y) {
    return Number(Scale(x, x_low, x_high, frame.plot_left(), frame.plot_right())) + "," +
           Number(Scale(y, 0, y_high, frame.plot_bottom(), frame.plot_top()));
  };
  for (std::size_t s = 0; s < spec.series.size(); ++s) {
    const LineSeries& series = spec.series[s];
    if (series.low.size() != series.x.size() || series.high.size() != series.x.size()) continue;
    std::string band;
    for (std::size_t i = 0; i < series.x.size(); ++i) band += point(series.x[i], series.high[i]) + " ";
    for (std::size_t i = series.x.size(); i-- > 0;) band += point(series.x[i], series.low[i]) + " ";
    band.pop_back();
    svg += fmt::format("<polygon class=\"band\" points=\"{}\" fill=\"{}\" fill-opacity=\"{}\" stroke=\"none\"><title>{}</title></polygon>\n",
                       band, SeriesColour(s), Number(kBandOpacity), Escape(series.name + ": interval band"));
  }
  for (std::size_t s = 0; s < spec.series.size(); ++s) {
    const LineSeries& series = spec.series[s];
    std::string points;
    for (std::size_t i = 0; i < series.x.size(); ++i) points += (i ? " " : "") + point(series.x[i], series.y[i]);
    svg += fmt::format("<polyline class=\"series\" points=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2.5\"{}/>\n",
                       points, SeriesColour(s),
                       *SeriesDash(s) ? fmt::format(" stroke-dasharray=\"{}\"", SeriesDash(s)) : "");
  }
  return svg + "</svg>\n";
}

std::string BarChart(const BarChartSpec& spec) {
  Frame frame;
  // Category names that do not fit under their group are slanted, which needs more room below.
  std::size_t longest = 0;
  for (const std::string& category : spec.categories) longest = std::max(longest, category.size());
  bool crowded = longest * kCharWidth > (frame.plot_right() - frame.plot_left()) / std::max<std::size_t>(1, spec.categories.size());
  if (crowded) frame.bottom += longest * kCharWidth * 0.5;
  frame.height += crowded ? longest * kCharWidth * 0.5 : 0;
  auto interval = [&spec](std::size_t s, std::size_t c) -> const BarInterval* {
    if (s >= spec.intervals.size() || c >= spec.intervals[s].size() || !spec.intervals[s][c]) return nullptr;
    return &*spec.intervals[s][c];
  };
  bool whiskers = false;
  for (std::size_t s = 0; s < spec.series.size(); ++s) {
    for (std::size_t c = 0; c < spec.categories.size(); ++c) whiskers |= interval(s, c) != nullptr;
  }
  std::string svg = OpenChart(spec.id, spec.title, spec.description, spec.series, false, frame, "",
                              whiskers ? spec.interval_label : "");
  double y_high = 0;
  for (const std::vector<double>& row : spec.values) {
    for (double value : row) y_high = std::max(y_high, value);
  }
  for (std::size_t s = 0; s < spec.series.size(); ++s) {
    for (std::size_t c = 0; c < spec.categories.size(); ++c) {
      if (const BarInterval* whisker = interval(s, c)) y_high = std::max(y_high, whisker->high);
    }
  }
  if (y_high <= 0) y_high = 1;
  std::vector<double> ticks = NiceTicks(0, y_high, 5);
  y_high = std::max(y_high, ticks.back());
  svg += ValueAxis(frame, ticks, 0, y_high, spec.y_tick, spec.y_label);
  std::size_t categories = std::max<std::size_t>(1, spec.categories.size());
  double group = (frame.plot_right() - frame.plot_left()) / categories;
  double bar = std::min(40.0, group * 0.8 / std::max<std::size_t>(1, spec.series.size()));
  for (std::size_t c = 0; c < spec.categories.size(); ++c) {
    double center = frame.plot_left() + group * (c + 0.5);
    double start = center - bar * spec.series.size() / 2;
    for (std::size_t s = 0; s < spec.series.size(); ++s) {
      double value = c < spec.values[s].size() ? spec.values[s][c] : 0;
      double top = Scale(value, 0, y_high, frame.plot_bottom(), frame.plot_top());
      const BarInterval* whisker = interval(s, c);
      const std::string name = Escape(spec.series[s] + ", " + spec.categories[c]);
      svg += fmt::format("<rect class=\"bar\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\"><title>{}: {}</title></rect>",
                         Number(start + bar * s), Number(top), Number(std::max(1.0, bar - 2)),
                         Number(frame.plot_bottom() - top), SeriesColour(s), name,
                         Escape(whisker ? whisker->text : spec.y_tick(value)));
      if (whisker) {
        // Clipped to the plot: an interval reaching below zero stops at the axis.
        auto at = [&](double v) { return Scale(std::clamp(v, 0.0, y_high), 0, y_high, frame.plot_bottom(), frame.plot_top()); };
        svg += fmt::format("<g class=\"error-bar\"{}><title>{}: {}</title>{}</g>", whisker->attributes, name,
                           Escape(whisker->text),
                           Whisker(start + bar * s + std::max(1.0, bar - 2) / 2, at(whisker->high), at(whisker->low),
                                   std::min(10.0, std::max(4.0, bar / 3))));
      }
    }
    if (crowded) {
      svg += fmt::format("\n<text transform=\"translate({} {}) rotate(-30)\" text-anchor=\"end\" fill=\"#333333\">{}</text>\n",
                         Number(center + 4), Number(frame.plot_bottom() + 14), Escape(spec.categories[c]));
    } else {
      svg += fmt::format("\n<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" fill=\"#333333\">{}</text>\n", Number(center),
                         Number(frame.plot_bottom() + 18), Escape(spec.categories[c]));
    }
  }
  svg += AxisLabelBelow(frame, spec.x_label);
  return svg + "</svg>\n";
}

}  // namespace recoup::driver::svg
