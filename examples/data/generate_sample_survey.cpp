// Writes the bundled sample survey (examples/data/sample_survey.csv): a synthetic service culture audit of
// one organisation, 8 departments and 50 teams, answered with the bundled instrument. Seeded and built from
// exact double arithmetic only (no libm), so every machine writes the same bytes; a ctest checks that the
// committed file is what this program writes.
//
//     generate_sample_survey > examples/data/sample_survey.csv
#include <ethos/measure/instruments/service_culture_audit.hpp>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include "xoshiro.hpp"

namespace {

using rng = ethos_examples::real_draws;
using ethos_examples::round_clamp;

struct team {
  std::string_view name;
  std::size_t size;
};

struct department {
  std::string_view name;
  double climate;                 // shift of every answer, in answer points
  std::array<double, 12> profile; // extra shift per building block, in instrument order
  std::vector<team> teams;
};

// Departments differ in overall climate and in which building blocks they are strong at; teams vary around
// their department. Block order: language, vision, recruitment, orientation, communications, recognition,
// voice of the customer, measures, improvement, recovery, benchmarking, role modelling.
std::vector<department> organisation() {
  return {
      {"Customer Care",
       0.25,
       {0.2, 0.1, 0.0, 0.2, 0.1, -0.2, 0.6, 0.3, 0.1, 0.5, -0.1, 0.1},
       {{"Inbound North", 24},
        {"Inbound South", 22},
        {"Chat", 18},
        {"Email", 16},
        {"Escalations", 12},
        {"Onboarding Help", 14},
        {"Retention", 19},
        {"Quality", 8},
        {"Knowledge Base", 3},
        {"Complaints", 17}}},
      {"Field Service",
       0.05,
       {0.0, -0.1, 0.1, 0.3, -0.3, 0.0, 0.3, 0.0, 0.2, 0.4, -0.2, 0.2},
       {{"Region East", 21},
        {"Region West", 18},
        {"Region Central", 15},
        {"Region North", 17},
        {"Installations", 12},
        {"Spare Parts", 9},
        {"Scheduling", 6},
        {"Training Crew", 4}}},
      {"Sales",
       0.10,
       {-0.1, 0.4, 0.2, -0.2, 0.2, 0.4, 0.2, 0.3, -0.3, -0.2, 0.3, -0.1},
       {{"Enterprise", 16},
        {"Mid-Market", 14},
        {"Small Business", 13},
        {"Partners", 10},
        {"Renewals", 8},
        {"Bids", 5},
        {"Sales Enablement", 2},
        {"Key Accounts", 11}}},
      {"Operations",
       -0.10,
       {0.1, -0.2, -0.1, 0.0, -0.2, -0.3, -0.1, 0.5, 0.4, 0.0, 0.1, -0.2},
       {{"Warehouse A", 22},
        {"Warehouse B", 20},
        {"Logistics", 16},
        {"Procurement", 13},
        {"Facilities", 11},
        {"Planning", 9},
        {"Health and Safety", 7},
        {"Night Shift", 4},
        {"Returns", 15}}},
      {"Finance",
       -0.25,
       {-0.2, -0.3, 0.0, -0.1, -0.1, -0.2, -0.5, 0.3, 0.0, -0.3, 0.1, -0.3},
       {{"Billing", 13}, {"Accounts Payable", 9}, {"Controlling", 7}, {"Treasury", 3}}},
      {"People and Culture",
       0.30,
       {0.4, 0.4, 0.5, 0.6, 0.3, 0.2, -0.1, -0.2, 0.0, 0.1, -0.2, 0.4},
       {{"Recruiting", 9}, {"Learning", 7}, {"People Partners", 6}}},
      {"IT",
       -0.05,
       {-0.3, -0.1, 0.0, 0.1, -0.4, -0.1, -0.2, 0.4, 0.5, 0.2, 0.3, -0.2},
       {{"Service Desk", 18},
        {"Platforms", 15},
        {"Applications", 14},
        {"Security", 10},
        {"Data", 8},
        {"Architecture", 4},
        {"Field IT", 12}}},
      {"Legal and Compliance",
       -0.15,
       {0.0, -0.2, 0.0, 0.0, -0.1, -0.2, -0.4, 0.1, -0.2, -0.1, 0.0, 0.0},
       {{"Legal", 4}}},
  };
}

constexpr std::array<std::string_view, 4> tenure_bands{"under 1 year", "1-3 years", "3-10 years", "over 10 years"};

struct respondent {
  std::string department;
  std::string team;
  std::string tenure;
  std::vector<int> answers; // -1: missing
};

} // namespace

int main(int argc, char* argv[]) {
  const auto view = ethos::instruments::service_culture_audit.view();
  rng r(20261122);
  std::vector<respondent> people;
  for (const auto& d : organisation()) {
    for (const auto& t : d.teams) {
      const double team_shift = 0.30 * r.normal();
      std::array<double, 12> team_profile{};
      for (auto& p : team_profile) {
        p = 0.15 * r.normal();
      }
      for (std::size_t p = 0; p < t.size; ++p) {
        respondent x;
        x.department = std::string(d.name);
        x.team = std::string(d.name) + "/" + std::string(t.name);
        x.tenure = std::string(tenure_bands[r.below(tenure_bands.size())]);
        const double person = 0.45 * r.normal();
        // How this person sees each building block, shared by the block's items: it is what makes the
        // items of one block agree with each other more than with other blocks' items.
        std::array<double, 12> person_profile{};
        for (auto& p2 : person_profile) {
          p2 = 0.40 * r.normal();
        }
        // Some people stop part way through; a few answer nothing at all.
        const double u = r.uniform();
        const std::size_t stop = u < 0.004 ? 0 : u < 0.05 ? 8 + r.below(40) : view.items.size();
        double likert_sum = 0.0;
        int likert_n = 0;
        for (std::size_t i = 0; i < view.items.size(); ++i) {
          const auto& it = view.items[i];
          if (i >= stop || r.uniform() < 0.02) {
            x.answers.push_back(-1);
            continue;
          }
          int a = 0;
          if (it.format == ethos::response_format::likert) {
            const auto c = *view.construct_index(it.construct);
            const double latent = 3.35 + d.climate + team_shift + person + d.profile[c] + team_profile[c] +
                                  person_profile[c] + 0.55 * r.normal();
            a = round_clamp(latent, 1, 5);
            likert_sum += static_cast<double>(a);
            ++likert_n;
            if (it.reverse) {
              a = 6 - a;
            }
          } else if (it.format == ethos::response_format::nps) {
            const double mood = likert_n > 0 ? likert_sum / likert_n - 3.0 : person;
            a = round_clamp(6.8 + 2.6 * mood + 1.4 * r.normal(), 0, 10);
          } else {
            const double mood = likert_n > 0 ? likert_sum / likert_n - 3.0 : person;
            a = round_clamp(4.0 + 1.1 * mood + 0.8 * r.normal(), 1, 6);
          }
          x.answers.push_back(a);
        }
        people.push_back(std::move(x));
      }
    }
  }
  // Rows in the order responses arrived, not grouped by team.
  for (std::size_t i = people.size(); i > 1; --i) {
    std::swap(people[i - 1], people[r.below(i)]);
  }

  std::ofstream file;
  if (argc > 1) {
    file.open(argv[1], std::ios::binary);
    if (!file) {
      std::fprintf(stderr, "generate_sample_survey: cannot open %s for writing\n", argv[1]);
      return 1;
    }
  }
  std::ostream& out = argc > 1 ? file : std::cout;
  out << "id,department,team,tenure";
  for (const auto& it : view.items) {
    out << ',' << it.id;
  }
  out << '\n';
  for (std::size_t p = 0; p < people.size(); ++p) {
    char id[24];
    std::snprintf(id, sizeof id, "R%04zu", p + 1);
    out << id << ',' << people[p].department << ',' << people[p].team << ',' << people[p].tenure;
    for (int a : people[p].answers) {
      out << ',';
      if (a >= 0) {
        out << a;
      }
    }
    out << '\n';
  }
  return out ? 0 : 1;
}
