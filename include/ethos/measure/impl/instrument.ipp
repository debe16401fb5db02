// ethos/measure/impl/instrument.ipp: definitions of ethos/measure/instrument.hpp (compiled into ethos::compiled, or
// included by the header in header-only mode).
#pragma once

#include <ethos/measure/instrument.hpp>

#include <ethos/error.hpp>

#include <atomic>
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace ethos {

ETHOS_DECL std::vector<problem> check(const instrument_view& v) {
  std::vector<problem> out;
  detail::check_instrument(v, [&](instrument_issue k, std::size_t i, std::size_t c) {
    std::string where;
    if (i != static_cast<std::size_t>(-1)) {
      where = "item #" + std::to_string(i + 1) + " '" + std::string(v.items[i].id) + "'";
    } else if (c != static_cast<std::size_t>(-1)) {
      where = "construct #" + std::to_string(c + 1) + " '" + std::string(v.constructs[c].key) + "'";
    } else {
      where = "instrument '" + std::string(v.id) + "'";
    }
    std::string what;
    switch (k) {
    case instrument_issue::empty_id:
      what = "has an empty id";
      break;
    case instrument_issue::duplicate_item_id:
      what = "has the same id as an earlier item";
      break;
    case instrument_issue::unknown_construct:
      what = "names construct '" + std::string(v.items[i].construct) + "', which the instrument does not define";
      break;
    case instrument_issue::missing_construct:
      what = "is a Likert item without a construct";
      break;
    case instrument_issue::construct_on_non_likert_item:
      what = "is a " + std::string(to_string(v.items[i].format)) + " item and cannot belong to a construct";
      break;
    case instrument_issue::small_construct:
      what = "has " + std::to_string(v.construct_size(c)) + " item(s); a construct needs at least 2";
      break;
    case instrument_issue::duplicate_construct_key:
      what = "has the same key as an earlier construct";
      break;
    case instrument_issue::empty_construct_key:
      what = "has an empty key";
      break;
    case instrument_issue::non_positive_weight:
      what = "has weight " + std::to_string(v.items[i].weight) + "; weights must be positive";
      break;
    case instrument_issue::unknown_nps_item:
      what = "names NPS item '" + std::string(v.nps_item) + "', which is not one of its items";
      break;
    case instrument_issue::nps_item_not_nps:
      what = "is named as the NPS item but is not answered on the 0-10 NPS scale";
      break;
    case instrument_issue::invalid_format:
      what = "has an unknown response format";
      break;
    }
    out.push_back({std::move(where), std::move(what)});
  });
  return out;
}

// Specs are views into `def`, which never moves once the block exists.
struct instrument::data {
  explicit data(instrument_def d);
  instrument_def def;
  std::vector<construct_spec> constructs;
  std::vector<item_spec> items;
  mutable std::atomic<std::size_t> copies{1};
};

ETHOS_DECL instrument::instrument(instrument_def def) : data_(new data(std::move(def))) {
  try {
    throw_if_problems("instrument '" + data_->def.id + "'", check(view()));
  } catch (...) {
    delete data_;
    throw;
  }
}

ETHOS_DECL instrument::instrument(const instrument& other) noexcept : data_(other.data_) {
  data_->copies.fetch_add(1, std::memory_order_relaxed);
}

ETHOS_DECL instrument& instrument::operator=(const instrument& other) noexcept {
  other.data_->copies.fetch_add(1, std::memory_order_relaxed);
  release(data_);
  data_ = other.data_;
  return *this;
}

ETHOS_DECL instrument::~instrument() { release(data_); }

ETHOS_DECL void instrument::release(const data* d) noexcept {
  if (d->copies.fetch_sub(1, std::memory_order_acq_rel) == 1) {
    delete d;
  }
}

ETHOS_DECL instrument_view instrument::view() const noexcept {
  return {data_->def.id, data_->def.title, data_->def.scale, data_->constructs, data_->items, data_->def.nps_item};
}

ETHOS_DECL const instrument_def& instrument::definition() const noexcept { return data_->def; }

ETHOS_DECL instrument::instrument(const instrument_view& v) : instrument(to_def(v)) {}

ETHOS_DECL instrument_def instrument::to_def(const instrument_view& v) {
  instrument_def d{std::string(v.id), std::string(v.title), v.scale, {}, {}, std::string(v.nps_item)};
  for (const auto& c : v.constructs) {
    d.constructs.push_back({std::string(c.key), std::string(c.label), c.block});
  }
  for (const auto& i : v.items) {
    d.items.push_back({std::string(i.id), std::string(i.text), std::string(i.construct), i.reverse, i.weight,
                       i.category, i.block, i.format});
  }
  return d;
}

ETHOS_DECL instrument::data::data(instrument_def d) : def(std::move(d)) {
  for (const auto& c : def.constructs) {
    constructs.push_back({c.key, c.label, c.block});
  }
  for (const auto& i : def.items) {
    items.push_back({i.id, i.text, i.construct, i.reverse, i.weight, i.category, i.block, i.format});
  }
}

} // namespace ethos
