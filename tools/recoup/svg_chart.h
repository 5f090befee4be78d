// Charts as inline SVG, drawn in C++ when the report is written: no
// JavaScript, nothing fetched, the same bytes for the same figures
// (docs/reports.md says why). Every chart has a title, axis labels with
// units, a legend, the Okabe-Ito colour-blind-safe palette with a dash
// pattern per series as well, and a <title>/<desc> for screen readers; the
// report puts a data table beside each one.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace recoup::driver::svg {

// The i-th series colour of the Okabe-Ito palette (blue, orange, green...),
// and a dash pattern ("" for solid) so series differ without colour too.
const char* SeriesColour(std::size_t index);
const char* SeriesDash(std::size_t index);

// `text` safe inside HTML or SVG text and attributes.
std::string Escape(const std::string& text);

// A coordinate with one decimal: "12.5".
std::string Number(double value);

// Round tick values from at or below `low` to at or above `high`: 1, 2 or
// 5 times a power of ten apart, about `wanted` of them.
std::vector<double> NiceTicks(double low, double high, int wanted);

// "950", "12.5k", "1.2M": money and counts on an axis.
std::string Compact(double value);

using TickFormat = std::function<std::string(double)>;

// One line; `low`/`high` give a shaded interval band when not empty.
struct LineSeries {
  std::string name;
  std::vector<double> x, y;
  std::vector<double> low, high;
};

struct LineChartSpec {
  std::string id;  // unique within the page, for aria ids
  std::string title, description;
  std::string x_label, y_label;  // with units: "Days past due", "Collected (% of invoiced)"
  std::vector<LineSeries> series;
  TickFormat x_tick, y_tick;
  std::optional<double> y_max;  // default: from the data
  std::string band_label;       // the legend's entry for the shaded bands, when any series has one
};

std::string LineChart(const LineChartSpec& spec);

// The interval of a bar's value (the 95% interval of Monte Carlo draws),
// drawn as a whisker over the bar.
struct BarInterval {
  double low = 0, high = 0;
  // The bar's value and interval in words, for its <title> (tooltip and
  // screen readers): "mean 1,234.50 USD, 95% interval 1,100.00 to 1,400.00 USD".
  std::string text;
  // More attributes of the whisker's element, as written (data-* marks).
  std::string attributes;
};

// Grouped vertical bars: a group per category, a bar per series.
struct BarChartSpec {
  std::string id;
  std::string title, description;
  std::string x_label, y_label;
  std::vector<std::string> categories;
  std::vector<std::string> series;           // names, for the legend
  std::vector<std::vector<double>> values;   // [series][category], 0 or more
  TickFormat y_tick;
  // [series][category] like `values`, or empty for exact values (a replay):
  // a whisker over each bar that has one.
  std::vector<std::vector<std::optional<BarInterval>>> intervals;
  std::string interval_label;  // the legend's entry for the whiskers, when there are any
};

std::string BarChart(const BarChartSpec& spec);

// The frame shared by the charts: size, plot area, title, legend.
struct Frame {
  double width = 760, height = 380;
  double left = 84, right = 24, top = 0, bottom = 56;  // top is set by the legend
  double plot_left() const { return left; }
  double plot_right() const { return width - right; }
  double plot_top() const { return top; }
  double plot_bottom() const { return height - bottom; }
};

// The opening <svg> with its title and description, the title drawn at the
// top and the legend under it (swatches as lines when `lines`, else boxes);
// sets frame.top below the legend. A `band_label` adds a last entry with a
// translucent swatch, for interval bands; a `whisker_label` one with a
// whisker, for intervals over bars.
std::string OpenChart(const std::string& id, const std::string& title, const std::string& description,
                      const std::vector<std::string>& legend, bool lines, Frame& frame,
                      const std::string& band_label = "", const std::string& whisker_label = "");
// Horizontal grid lines and tick labels for a value axis, and its label.
std::string ValueAxis(const Frame& frame, const std::vector<double>& ticks, double low, double high,
                      const TickFormat& format, const std::string& label);
// The x axis label under the plot.
std::string AxisLabelBelow(const Frame& frame, const std::string& label);

}  // namespace recoup::driver::svg
