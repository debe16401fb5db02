// Maps an order-to-cash transaction into process and perception points, rates the perception points on the six
// levels of service, and prints where to start improving: a transaction is as strong as its weakest point.
// With an argument, also writes the six-level chart of the perception points to that SVG file.
#include <ethos/framework.hpp>
#include <ethos/report/fmt.hpp>
#include <ethos/report/svg.hpp>

#include <fmt/format.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

namespace {

ethos::transaction order_to_cash() {
  using ethos::value_category;
  ethos::transaction t{"Order to cash"};
  t.add_process("Quote prepared", "Sales")
      .add_process("Order entered", "Sales operations")
      .add_process("Goods picked and shipped", "Warehouse")
      .add_process("Invoice issued", "Finance")
      .add_process("Payment received", "Finance");
  t.add_perception("Speed of the quote", value_category::delivery_system, "Quote prepared")
      .add_perception("Quote matches what was asked for", value_category::primary_product, "Quote prepared")
      .add_perception("Order confirmation", value_category::delivery_system, "Order entered")
      .add_perception("Delivery date kept", value_category::delivery_system, "Goods picked and shipped")
      .add_perception("Condition of the goods", value_category::primary_product, "Goods picked and shipped")
      .add_perception("Driver's courtesy", value_category::service_mindset, "Goods picked and shipped")
      .add_perception("Invoice easy to check", value_category::primary_product, "Invoice issued")
      .add_perception("Help with a billing question", value_category::service_mindset, "Invoice issued")
      .add_perception("Thank-you and next-order reminder", value_category::ongoing_relationship, "Payment received");
  // The finance team's own customer is internal: sales needs the payment status to plan the next order.
  t.add_perception("Payment status shared with Sales", value_category::ongoing_relationship, "Payment received",
                   ethos::customer_kind::internal);
  return t;
}

// Ratings as a survey of 20 customers (and the sales team) might return them: counts per level 1..6.
std::vector<ethos::perception_rating> ratings() {
  const std::vector<std::pair<const char*, std::array<int, 6>>> counts{
      {"Speed of the quote", {0, 3, 9, 6, 2, 0}},
      {"Quote matches what was asked for", {0, 1, 8, 8, 3, 0}},
      {"Order confirmation", {0, 0, 12, 6, 2, 0}},
      {"Delivery date kept", {3, 7, 6, 3, 1, 0}},
      {"Condition of the goods", {0, 1, 10, 7, 2, 0}},
      {"Driver's courtesy", {0, 0, 4, 9, 5, 2}},
      {"Invoice easy to check", {2, 8, 7, 3, 0, 0}},
      {"Help with a billing question", {1, 4, 8, 5, 2, 0}},
      {"Thank-you and next-order reminder", {0, 2, 6, 6, 4, 2}},
      {"Payment status shared with Sales", {1, 2, 2, 1, 0, 0}},
  };
  std::vector<ethos::perception_rating> out;
  for (const auto& [point, per_level] : counts) {
    for (int level = 1; level <= 6; ++level) {
      for (int i = 0; i < per_level[static_cast<std::size_t>(level - 1)]; ++i) {
        out.push_back({point, level});
      }
    }
  }
  return out;
}

std::string bar(const ethos::level_distribution& d) {
  std::string s;
  for (auto l : ethos::all<ethos::service_level>) {
    s += fmt::format("{:>3}", d.count(l));
  }
  return s;
}

} // namespace

int main(int argc, char* argv[]) {
  const auto t = order_to_cash();
  const auto r = ratings();
  try {
    const auto s = ethos::summarize(t, r);
    fmt::print("Transaction: {}  ({} process points, {} perception points, {} ratings)\n\n", t.name,
               t.process_points.size(), t.perception_points.size(), r.size());
    fmt::print("{:<36} {:<20} {:<8} {:>4}  {:<18} {:<12} {:>7}\n", "perception point", "value category", "for", "n",
               "  C  B  E  D  S  U", "median", "below E");
    for (const auto& p : s.points) {
      fmt::print("{:<36} {:<20} {:<8} {:>4}  {:<18} {:<12} {:>6.0f}%\n", p.point.name, p.point.category,
                 p.point.recipient, p.distribution.total(), bar(p.distribution),
                 p.median ? ethos::to_string(*p.median) : "-", 100.0 * p.share_below_expected.value_or(0.0));
    }
    fmt::print("\nBy value category:\n");
    for (auto c : ethos::all<ethos::value_category>) {
      const auto& d = s.category(c);
      fmt::print("  {:<20} n={:<4} median {:<12} {:.0f}% below expected\n", c, d.total(),
                 d.median() ? ethos::to_string(*d.median()) : "-", 100.0 * d.share_below_expected().value_or(0.0));
    }
    if (s.weakest) {
      const auto& w = s.points[*s.weakest];
      fmt::print("\nWeakest perception point: {} (median {}, {:.0f}% below expected), at process point '{}'.\n",
                 w.point.name, *w.median, 100.0 * *w.share_below_expected, w.point.process_point);
    }
    fmt::print("Improve in this order:\n");
    int rank = 1;
    for (auto i : s.improvement_order) {
      fmt::print("  {:>2}. {}\n", rank++, s.points[i].point.name);
    }
    if (argc > 1) {
      ethos::svg::level_chart_options o;
      o.title = t.name + ": service level at each perception point";
      std::ofstream svg(argv[1]);
      svg << ethos::svg::level_distribution_chart(s, o);
      if (!svg) {
        std::fprintf(stderr, "%s: cannot write\n", argv[1]);
        return 1;
      }
    }
  } catch (const ethos::error& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 1;
  }
  return 0;
}
