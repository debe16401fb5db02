// ethos/io/impl/json_instrument.ipp: definitions of ethos/io/json_instrument.hpp and of the instrument functions of
// ethos/io/json_value.hpp (compiled into ethos::compiled, or included by the headers in header-only mode).
#pragma once
#include <ethos/io/json_instrument.hpp>

#include <ethos/error.hpp>
#include <ethos/framework/building_block.hpp>
#include <ethos/framework/value_category.hpp>
#include <ethos/framework/vocabulary.hpp>
#include <ethos/io/json_dom.hpp>
#include <ethos/io/json_plumbing.hpp>
#include <ethos/io/json_value.hpp>
#include <ethos/measure/scale.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <istream>
#include <optional>
#include <utility>
#include <vector>

namespace ethos {

namespace detail {

inline constexpr std::array<std::string_view, 7> instrument_keys{"schema",     "id",    "title",   "scale",
                                                                 "constructs", "items", "nps_item"};
inline constexpr std::array<std::string_view, 4> scale_keys{"min", "max", "favorable_min", "unfavorable_max"};
inline constexpr std::array<std::string_view, 3> construct_keys{"key", "label", "building_block"};
inline constexpr std::array<std::string_view, 8> item_keys{"id",     "text",           "construct",      "reverse",
                                                           "weight", "value_category", "building_block", "format"};

ETHOS_DECL likert_scale read_scale(const nlohmann::json& j, std::vector<problem>& ps) {
  if (!j.is_object()) {
    ps.push_back({"$.scale", "expected an object, got " + json_describe(j)});
    return scales::agree5;
  }
  json_object_reader r(j, "$.scale", scale_keys, ps);
  const std::size_t before = ps.size();
  const auto min = r.integer("min", json_presence::required, 0, 250);
  const auto max = r.integer("max", json_presence::required, 0, 250);
  const auto fav = r.integer("favorable_min", json_presence::optional, 0, 250);
  const auto unfav = r.integer("unfavorable_max", json_presence::optional, 0, 250);
  const bool fields_ok = ps.size() == before;
  r.report_unknown_keys();
  if (!fields_ok) {
    return scales::agree5;
  }
  if (fav.has_value() != unfav.has_value()) {
    ps.push_back({"$.scale", std::string(fav ? "favorable_min is given without unfavorable_max"
                                             : "unfavorable_max is given without favorable_min") +
                                 "; give both bands or neither"});
    return scales::agree5;
  }
  try {
    const int lo = static_cast<int>(*min);
    const int hi = static_cast<int>(*max);
    return fav ? likert_scale(lo, hi, {static_cast<int>(*fav), static_cast<int>(*unfav)}) : likert_scale(lo, hi);
  } catch (const error& e) {
    ps.push_back({"$.scale", e.what()});
    return scales::agree5;
  }
}

// Which fields of an element could not be read. The instrument checks then skip the rules those fields
// feed, so that one mistake is not reported twice (a missing id is not also "an empty id").
struct item_failures {
  bool id = false;
  bool construct = false;
  bool weight = false;
  bool format = false;
};

// An instrument document being read: the definition so far, and which of its parts could not be read.
struct instrument_reading {
  instrument_def def;
  std::vector<bool> construct_key_failed; // per construct
  bool constructs_failed = true;          // $.constructs missing or not an array
  const nlohmann::json* items_json = nullptr;
  std::vector<item_failures> item_failed; // per item
  bool items_failed = true;               // $.items missing or not an array
  bool nps_failed = false;                // $.nps_item could not be read
};

// Phase 1: the document is an object of our schema. A schema string of another format stops the reading.
ETHOS_DECL void read_instrument_schema(json_object_reader& top, const std::string& context, std::vector<problem>& ps) {
  if (const nlohmann::json* schema = top.get("schema", json_presence::required)) {
    if (!schema->is_string() || schema->get_ref<const std::string&>() != instrument_schema) {
      top.report("schema", "expected " + json_quote(instrument_schema) + ", got " +
                               (schema->is_string() ? json_quote(utf8_truncate(schema->get<std::string>(), 60))
                                                    : json_describe(*schema)));
      if (schema->is_string()) {
        throw validation_error(context, std::move(ps)); // another format: checking it against ours is noise
      }
    }
  }
}

// Phase 3: $.constructs, one construct_def per element (an empty one where the element is not an object).
ETHOS_DECL void read_instrument_constructs(json_object_reader& top, std::vector<problem>& ps, instrument_reading& in) {
  const nlohmann::json* cs = top.get("constructs", json_presence::required);
  if (cs == nullptr) {
    return;
  }
  if (!cs->is_array()) {
    top.report("constructs", "expected an array, got " + json_describe(*cs));
    return;
  }
  in.constructs_failed = false;
  for (std::size_t k = 0; k < cs->size(); ++k) {
    const nlohmann::json& c = (*cs)[k];
    const std::string path = json_path_index("$.constructs", k);
    construct_def cd;
    bool key_failed = true;
    if (!c.is_object()) {
      ps.push_back({path, "expected an object, got " + json_describe(c)});
    } else {
      json_object_reader r(c, path, construct_keys, ps);
      const std::size_t before = ps.size();
      cd.key = r.text("key", json_presence::required).value_or("");
      key_failed = ps.size() != before;
      cd.label = r.text("label", json_presence::required).value_or("");
      cd.block = r.term<building_block>("building_block", json_presence::nullable, "building block");
      r.report_unknown_keys();
    }
    in.def.constructs.push_back(std::move(cd));
    in.construct_key_failed.push_back(key_failed);
  }
}

// One element of $.items that is an object.
ETHOS_DECL item_def read_instrument_item(const nlohmann::json& it, const std::string& path, const std::string& nps_item,
                                         std::vector<problem>& ps, item_failures& f) {
  item_def d;
  json_object_reader r(it, path, item_keys, ps);
  const auto read = [&](bool& failed, auto&& getter) {
    const std::size_t before = ps.size();
    auto v = getter();
    failed = ps.size() != before;
    return v;
  };
  d.id = read(f.id, [&] { return r.text("id", json_presence::required); }).value_or("");
  d.text = r.text("text", json_presence::required).value_or("");
  d.construct = read(f.construct, [&] { return r.text("construct", json_presence::nullable); }).value_or("");
  d.reverse = r.flag("reverse", json_presence::optional).value_or(false);
  d.weight = read(f.weight, [&] { return r.number("weight", json_presence::optional); }).value_or(1.0);
  d.category = r.term<value_category>("value_category", json_presence::nullable, "value category");
  d.block = r.term<building_block>("building_block", json_presence::nullable, "building block");
  const auto format =
      read(f.format, [&] { return r.term<response_format>("format", json_presence::optional, "response format"); });
  d.format = format ? *format : !nps_item.empty() && d.id == nps_item ? response_format::nps : response_format::likert;
  r.report_unknown_keys();
  return d;
}

// Phase 4: $.items, one item_def per element (an empty one, every field failed, where it is not an object).
ETHOS_DECL void read_instrument_items(json_object_reader& top, std::vector<problem>& ps, instrument_reading& in) {
  in.items_json = top.get("items", json_presence::required);
  if (in.items_json == nullptr) {
    return;
  }
  if (!in.items_json->is_array()) {
    top.report("items", "expected an array, got " + json_describe(*in.items_json));
    return;
  }
  in.items_failed = false;
  for (std::size_t i = 0; i < in.items_json->size(); ++i) {
    const nlohmann::json& it = (*in.items_json)[i];
    const std::string path = json_path_index("$.items", i);
    item_failures f;
    if (!it.is_object()) {
      ps.push_back({path, "expected an object, got " + json_describe(it)});
      f = {true, true, true, true};
      in.def.items.push_back(item_def{});
    } else {
      in.def.items.push_back(read_instrument_item(it, path, in.def.nps_item, ps, f));
    }
    in.item_failed.push_back(f);
  }
}

// Phase 5: the instrument's own rules, mapped to the paths of the fields that break them. A rule is not
// reported where a field it depends on could not be read (that field's problem is reported already).
ETHOS_DECL void check_instrument_rules(const instrument_reading& in, std::vector<problem>& ps) {
  const auto& item_failed = in.item_failed;
  const auto& construct_key_failed = in.construct_key_failed;
  const auto any = [&](auto pred) { return std::any_of(item_failed.begin(), item_failed.end(), pred); };
  const bool some_id_failed = in.items_failed || any([](const item_failures& f) { return f.id; });
  const bool some_construct_failed = in.items_failed || any([](const item_failures& f) { return f.construct; });
  const bool some_key_failed =
      in.constructs_failed ||
      std::find(construct_key_failed.begin(), construct_key_failed.end(), true) != construct_key_failed.end();
  const instrument_def& def = in.def;
  std::vector<construct_spec> cspecs;
  for (const auto& c : def.constructs) {
    cspecs.push_back({c.key, c.label, c.block});
  }
  std::vector<item_spec> ispecs;
  for (const auto& i : def.items) {
    ispecs.push_back({i.id, i.text, i.construct, i.reverse, i.weight, i.category, i.block, i.format});
  }
  const instrument_view view{def.id, def.title, def.scale, cspecs, ispecs, def.nps_item};
  constexpr std::size_t none = static_cast<std::size_t>(-1);
  check_instrument(view, [&](instrument_issue issue, std::size_t i, std::size_t c) {
    const std::string item = i != none ? json_path_index("$.items", i) : std::string();
    const std::string con = c != none ? json_path_index("$.constructs", c) : std::string();
    switch (issue) {
    case instrument_issue::empty_id:
      if (!item_failed[i].id) {
        ps.push_back({item + ".id", "is empty; every item needs an id"});
      }
      break;
    case instrument_issue::duplicate_item_id:
      if (!item_failed[i].id) {
        ps.push_back({item + ".id", json_quote(view.items[i].id) + " is already the id of " +
                                        json_path_index("$.items", *view.item_index(view.items[i].id))});
      }
      break;
    case instrument_issue::unknown_construct:
      if (!item_failed[i].construct && !item_failed[i].format && !some_key_failed) {
        ps.push_back({item + ".construct", "names construct " + json_quote(view.items[i].construct) +
                                               ", which $.constructs does not define"});
      }
      break;
    case instrument_issue::missing_construct:
      if (!item_failed[i].construct && !item_failed[i].format) {
        if ((*in.items_json)[i].contains("construct")) {
          ps.push_back({item + ".construct", "is empty; a Likert item must belong to a construct"});
        } else {
          ps.push_back({item, "missing required key \"construct\" (a Likert item must belong to a construct)"});
        }
      }
      break;
    case instrument_issue::construct_on_non_likert_item:
      if (!item_failed[i].construct && !item_failed[i].format) {
        ps.push_back({item + ".construct", "an item of format " + json_quote(key(view.items[i].format)) +
                                               " stands alone and cannot belong to a construct"});
      }
      break;
    case instrument_issue::small_construct:
      if (!construct_key_failed[c] && !some_construct_failed) {
        const std::size_t n = view.construct_size(c);
        ps.push_back(
            {con, "has " + std::to_string(n) + (n == 1 ? " item" : " items") + "; a construct needs at least 2"});
      }
      break;
    case instrument_issue::duplicate_construct_key:
      if (!construct_key_failed[c]) {
        ps.push_back(
            {con + ".key", json_quote(view.constructs[c].key) + " is already the key of " +
                               json_path_index("$.constructs", *view.construct_index(view.constructs[c].key))});
      }
      break;
    case instrument_issue::empty_construct_key:
      if (!construct_key_failed[c]) {
        ps.push_back({con + ".key", "is empty; every construct needs a key"});
      }
      break;
    case instrument_issue::non_positive_weight:
      if (!item_failed[i].weight) {
        ps.push_back({item + ".weight", "must be positive, got " + json_number_text(view.items[i].weight)});
      }
      break;
    case instrument_issue::unknown_nps_item:
      if (!in.nps_failed && !some_id_failed) {
        ps.push_back({"$.nps_item", "names item " + json_quote(view.nps_item) + ", which $.items does not have"});
      }
      break;
    case instrument_issue::nps_item_not_nps:
      if (!item_failed[i].format) {
        ps.push_back({item + ".format", "is " + json_quote(key(view.items[i].format)) +
                                            ", but $.nps_item names this item, which must have format \"nps\""});
      }
      break;
    case instrument_issue::invalid_format:
      ps.push_back({item + ".format", "is not a response format"});
      break;
    }
  });
}

// The instrument in `doc`, or a validation_error listing `problems` (found while parsing) and every problem of
// the document: the schema, the top-level fields, the constructs, the items, then the instrument's own rules.
ETHOS_DECL instrument read_instrument(const nlohmann::json& doc, const std::string& context,
                                      std::vector<problem> problems) {
  std::vector<problem>& ps = problems;
  if (!doc.is_object()) {
    ps.push_back({"$", "expected an object, got " + json_describe(doc)});
    throw validation_error(context, std::move(ps));
  }
  json_object_reader top(doc, "$", instrument_keys, ps);
  read_instrument_schema(top, context, ps);

  // Phase 2: the top-level fields.
  instrument_reading in;
  in.def.id = top.text("id", json_presence::required).value_or("");
  in.def.title = top.text("title", json_presence::optional).value_or("");
  if (const nlohmann::json* scale = top.get("scale", json_presence::required)) {
    in.def.scale = read_scale(*scale, ps);
  }
  // nps_item is read first because it sets the default format of the item it names; its problems are
  // appended last, in document order.
  std::vector<problem> nps_problems;
  json_object_reader nps_reader(doc, "$", instrument_keys, nps_problems);
  in.def.nps_item = nps_reader.text("nps_item", json_presence::nullable).value_or("");
  in.nps_failed = !nps_problems.empty();

  read_instrument_constructs(top, ps, in);
  read_instrument_items(top, ps, in);
  top.report_unknown_keys();
  ps.insert(ps.end(), nps_problems.begin(), nps_problems.end());

  check_instrument_rules(in, ps);
  throw_if_problems(context, std::move(ps));
  try {
    return instrument(std::move(in.def));
  } catch (const validation_error& e) {
    throw validation_error(context, e.problems()); // a rule added to instrument after this reader was written
  }
}

// What an instrument view holds that JSON cannot: bytes that are not UTF-8, non-finite weights, enum
// values that are not enumerators.
ETHOS_DECL std::vector<problem> instrument_json_problems(const instrument_view& v) {
  std::vector<problem> out;
  const auto text = [&](std::string path, std::string_view s) {
    if (!is_valid_utf8(s)) {
      out.push_back({std::move(path), "is not valid UTF-8"});
    }
  };
  const auto term = [&](std::string path, auto e, std::string_view noun) {
    if (ordinal(e) == 0) {
      out.push_back(
          {std::move(path), "is not a " + std::string(noun) + " (value " + std::to_string(static_cast<int>(e)) + ")"});
    }
  };
  text("$.id", v.id);
  text("$.title", v.title);
  for (std::size_t c = 0; c < v.constructs.size(); ++c) {
    const std::string p = json_path_index("$.constructs", c);
    text(p + ".key", v.constructs[c].key);
    text(p + ".label", v.constructs[c].label);
    if (v.constructs[c].block) {
      term(p + ".building_block", *v.constructs[c].block, "building block");
    }
  }
  for (std::size_t i = 0; i < v.items.size(); ++i) {
    const std::string p = json_path_index("$.items", i);
    const item_spec& it = v.items[i];
    text(p + ".id", it.id);
    text(p + ".text", it.text);
    text(p + ".construct", it.construct);
    if (!std::isfinite(it.weight)) {
      out.push_back({p + ".weight", "is " + json_number_text(it.weight) + ", which JSON cannot represent"});
    }
    if (it.category) {
      term(p + ".value_category", *it.category, "value category");
    }
    if (it.block) {
      term(p + ".building_block", *it.block, "building block");
    }
    term(p + ".format", it.format, "response format");
  }
  text("$.nps_item", v.nps_item);
  return out;
}

// The JSON of an instrument as `Json` (nlohmann::json or, to keep the schema's key order, ordered_json).
template <class Json>
Json instrument_to_json_as(const instrument_view& v) {
  throw_if_problems("instrument '" + utf8_truncate(v.id, 60) + "' as JSON", instrument_json_problems(v));
  const auto text_or_null = [](std::string_view s) { return s.empty() ? Json(nullptr) : Json(std::string(s)); };
  const auto key_or_null = [](const auto& e) { return e ? Json(std::string(key(*e))) : Json(nullptr); };
  Json j = Json::object();
  j["schema"] = std::string(instrument_schema);
  j["id"] = std::string(v.id);
  j["title"] = std::string(v.title);
  Json scale = Json::object();
  scale["min"] = v.scale.min();
  scale["max"] = v.scale.max();
  scale["favorable_min"] = v.scale.bands().favorable_min;
  scale["unfavorable_max"] = v.scale.bands().unfavorable_max;
  j["scale"] = std::move(scale);
  Json constructs = Json::array();
  for (const auto& c : v.constructs) {
    Json o = Json::object();
    o["key"] = std::string(c.key);
    o["label"] = std::string(c.label);
    o["building_block"] = key_or_null(c.block);
    constructs.push_back(std::move(o));
  }
  j["constructs"] = std::move(constructs);
  Json items = Json::array();
  for (const auto& it : v.items) {
    Json o = Json::object();
    o["id"] = std::string(it.id);
    o["text"] = std::string(it.text);
    o["construct"] = text_or_null(it.construct);
    o["reverse"] = it.reverse;
    o["weight"] = it.weight;
    o["value_category"] = key_or_null(it.category);
    o["building_block"] = key_or_null(it.block);
    o["format"] = std::string(key(it.format));
    items.push_back(std::move(o));
  }
  j["items"] = std::move(items);
  j["nps_item"] = text_or_null(v.nps_item);
  return j;
}

} // namespace detail

ETHOS_DECL instrument instrument_from_json(const nlohmann::json& doc) {
  return detail::read_instrument(doc, "instrument JSON", {});
}

ETHOS_DECL instrument parse_instrument(std::string_view text, std::string_view file_name) {
  detail::parsed_json parsed = detail::parse_json_text(text, file_name);
  return detail::read_instrument(parsed.value, "instrument file '" + std::string(file_name) + "'",
                                 std::move(parsed.problems));
}

ETHOS_DECL instrument load_instrument(std::istream& in, std::string_view file_name) {
  return parse_instrument(detail::read_stream_text(in, file_name), file_name);
}

ETHOS_DECL instrument load_instrument_file(std::string_view path) {
  return parse_instrument(detail::read_file_text(path), path);
}

ETHOS_DECL nlohmann::json to_json(const instrument_view& v) { return detail::instrument_to_json_as<nlohmann::json>(v); }

ETHOS_DECL std::string instrument_to_json_string(const instrument_view& v, int indent) {
  return detail::instrument_to_json_as<nlohmann::ordered_json>(v).dump(indent) + "\n";
}

} // namespace ethos
