/// \file
/// \brief unaudited: a section's result written on its own, outside a report, named as such where it is written.
///
/// The writers (results JSON, text report, CSV, SVG) take a survey_report from build_report or prepare_report: every
/// section protected together and the whole audited. A result of assess() or roll_up() on its own is protected by its
/// own section's rules only: no figure of another section (a unit that is also a group, a cut, an earlier release) was
/// weighed against it, and no audit proved it. Writing one takes `ethos::unaudited(result)`, so that the choice is
/// visible in the code that publishes it: for research on one's own data, tests, or a figure an audit covers
/// elsewhere.
#pragma once

namespace ethos {

struct assessment;
struct org_rollup;

/// A result of one section (an assessment or a roll-up) to be written without a report's joint protection and
/// audit. Holds a reference: use it within the expression that writes the result.
///
///     fmt::print("{}", ethos::text_report(ethos::unaudited(ethos::assess(inst, m))));
template <class T>
class unaudited {
 public:
  /// Names `value` as unaudited for the writer it is passed to.
  explicit unaudited(const T& value) noexcept : value_(&value) {}

  /// The result.
  [[nodiscard]] const T& get() const noexcept { return *value_; }

 private:
  const T* value_;
};

/// `unaudited(result)` names the result's own type: unaudited<assessment>, unaudited<org_rollup>.
template <class T>
unaudited(const T&) -> unaudited<T>;

} // namespace ethos
