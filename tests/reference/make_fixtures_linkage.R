# Golden values for ethos/models/linkage.hpp (linkage analysis by ordinary least squares), from base R and, for
# cluster-robust standard errors, sandwich (Debian: r-cran-sandwich).
# Generates seeded unit-level datasets like those of a linkage study (culture scores per unit next to customer and
# business outcomes), writes them to data/linkage_*.csv, reads them back and fits them with lm(). Writes
# fixtures/linkage.txt: lines "<key> <value>", '#' comments, value NA or formatC(x, digits = 17, format = "g").
#
# Run from anywhere: Rscript tests/reference/make_fixtures_linkage.R

seed <- 20241105L
set.seed(seed)
RNGkind("Mersenne-Twister", "Inversion", "Rejection")
set.seed(seed)

args <- commandArgs(trailingOnly = FALSE)
file_arg <- sub("^--file=", "", args[grep("^--file=", args)])
here <- if (length(file_arg) == 1) dirname(normalizePath(file_arg)) else getwd()
data_dir <- file.path(here, "data")
fixture_dir <- file.path(here, "fixtures")
dir.create(data_dir, showWarnings = FALSE, recursive = TRUE)
dir.create(fixture_dir, showWarnings = FALSE, recursive = TRUE)

fmt17 <- function(x) trimws(formatC(x, digits = 17, format = "g"))
num <- function(x) ifelse(is.na(x), "NA", fmt17(x))

# Text columns are written as they are, numbers with 17 digits; NA is an empty field. The file is read back so that
# every statistic below comes from exactly the numbers the C++ tests read.
write_frame <- function(frame, file) {
  body <- sapply(frame, function(v) if (is.numeric(v)) ifelse(is.na(v), "", fmt17(v)) else as.character(v))
  lines <- c(paste(names(frame), collapse = ","), apply(body, 1, paste, collapse = ","))
  writeLines(lines, file)
  read.csv(file, stringsAsFactors = FALSE)
}

out <- character()
put <- function(key, value) out <<- c(out, paste(key, num(value)))
note <- function(text) out <<- c(out, paste("#", text))

# One model: coefficients with SE, t, p (summary.lm), fit statistics, and standardised coefficients as the
# coefficients of the same model on scale()d variables over the same complete rows.
put_model <- function(name, formula, data) {
  m <- lm(formula, data = data) # na.action = na.omit: rows with a missing value drop out
  s <- summary(m)
  mf <- model.frame(m)
  z <- as.data.frame(scale(mf))
  b <- coef(lm(formula, data = z))
  p <- paste0("lm.", name, ".")
  put(paste0(p, "n"), nrow(mf))
  put(paste0(p, "dropped"), nrow(data) - nrow(mf))
  put(paste0(p, "df"), m$df.residual)
  cf <- s$coefficients
  for (term in rownames(cf)) {
    key <- if (term == "(Intercept)") "intercept" else term
    put(paste0(p, "estimate[", key, "]"), cf[term, "Estimate"])
    put(paste0(p, "se[", key, "]"), cf[term, "Std. Error"])
    put(paste0(p, "t[", key, "]"), cf[term, "t value"])
    put(paste0(p, "p[", key, "]"), cf[term, "Pr(>|t|)"])
    if (term != "(Intercept)") put(paste0(p, "beta[", key, "]"), b[[term]])
  }
  put(paste0(p, "r_squared"), s$r.squared)
  put(paste0(p, "adj_r_squared"), s$adj.r.squared)
  put(paste0(p, "sigma"), s$sigma)
  put(paste0(p, "f"), unname(s$fstatistic["value"]))
  put(paste0(p, "f_p"), unname(pf(s$fstatistic["value"], s$fstatistic["numdf"], s$fstatistic["dendf"],
                                  lower.tail = FALSE)))
}

# ---- One wave: 48 units ---------------------------------------------------------------------------------------------
n <- 48
culture <- rnorm(n, 3.6, 0.35)
enps <- round(pmin(100, pmax(-100, 40 * (culture - 3.6) / 0.35 + rnorm(n, 10, 18))), 1)
internal <- rnorm(n, 4.2, 0.6) # six-level internal-service rating, mean per unit
csat <- 52 + 9 * culture + 0.08 * enps + 2.5 * internal + rnorm(n, 0, 3)
complaints <- pmax(0, round(30 - 4 * culture - 1.5 * internal + rnorm(n, 0, 2.5), 1))
revenue <- 180000 + 21000 * culture + 150 * enps + rnorm(n, 0, 9000) # revenue per head: large magnitudes
units <- data.frame(unit = sprintf("u%02d", 1:n), culture = culture, enps = enps, internal = internal,
                    csat = csat, complaints = complaints, revenue_per_head = revenue)
units$culture[c(7, 30)] <- NA # scattered gaps: lm drops the row, as ethos must
units$csat[c(12)] <- NA
units$revenue_per_head[c(3, 30)] <- NA
units <- write_frame(units, file.path(data_dir, "linkage_units.csv"))

note("lm.<model>: summary(lm(formula, data)) over data/linkage_units.csv, na.omit; beta = coefficients of the same")
note("model on scale()d model-frame columns (standardised coefficients); f_p = pf(F, df1, df2, lower.tail = FALSE)")
put_model("csat3", csat ~ culture + enps + internal, units)
put_model("csat1", csat ~ culture, units)
put_model("complaints2", complaints ~ culture + internal, units)
put_model("revenue2", revenue_per_head ~ culture + enps, units)

# Too few units for the predictors: 7 units, 3 predictors still fit (3 residual degrees of freedom).
put_model("small3", csat ~ culture + enps + internal, units[c(1, 2, 4, 5, 6, 8, 9), ])

# ---- Three waves of 30 units: concurrent and lagged ---------------------------------------------------------------
n <- 30
waves <- 3
base <- rnorm(n, 3.5, 0.3)
rows <- list()
for (w in 1:waves) {
  culture_w <- base + 0.08 * (w - 1) + rnorm(n, 0, 0.12)
  enps_w <- round(35 * (culture_w - 3.5) / 0.3 + rnorm(n, 5, 15), 1)
  rows[[w]] <- data.frame(unit = sprintf("s%02d", 1:n), wave = w, culture = culture_w, enps = enps_w)
}
panel <- do.call(rbind, rows)
# Customer satisfaction follows culture of the same wave (weakly) and of the wave before (strongly).
panel$csat <- NA_real_
for (w in 1:waves) {
  now <- panel$wave == w
  before <- if (w > 1) panel$culture[panel$wave == w - 1] else base
  panel$csat[now] <- 40 + 3 * panel$culture[now] + 8 * before + rnorm(n, 0, 2)
}
panel$culture[panel$unit == "s04" & panel$wave == 2] <- NA
panel$csat[panel$unit == "s11" & panel$wave == 3] <- NA
panel <- panel[!(panel$unit == "s17" & panel$wave == 3), ] # unit s17 did not take part in wave 3
panel <- write_frame(panel, file.path(data_dir, "linkage_panel.csv"))

note("panel: data/linkage_panel.csv, long format (unit, wave); concurrent = every wave's rows pooled;")
note("lagged = culture, enps of wave w next to csat of wave w + 1 of the same unit (merge on unit), pooled over w")
put_model("concurrent", csat ~ culture + enps, panel)
now <- panel[, c("unit", "wave", "culture", "enps")]
later <- panel[, c("unit", "wave", "csat")]
later$wave <- later$wave - 1
lagged <- merge(now, later, by = c("unit", "wave"))
put_model("lagged", csat ~ culture + enps, lagged)
put_model("lagged_w1", csat ~ culture + enps, lagged[lagged$wave == 1, ])

# Cluster-robust standard errors for the pooled panel models: one cluster per unit, since a unit pooled over waves
# is not several independent observations. sandwich::vcovCL with its defaults for lm (HC1 with the cluster
# adjustment: G / (G - 1) * (n - 1) / (n - k)); t against Student's t with G - 1 degrees of freedom, and the Wald
# F of all slopes against F(p, G - 1).
put_clustered <- function(name, formula, data) {
  m <- lm(formula, data = data)
  units <- data[rownames(model.frame(m)), "unit"] # the unit of every row lm() kept
  V <- sandwich::vcovCL(m, cluster = units)
  G <- length(unique(units))
  b <- coef(m)
  se <- sqrt(diag(V))
  p <- paste0("lm.", name, ".cl.")
  put(paste0(p, "clusters"), G)
  for (term in names(b)) {
    key <- if (term == "(Intercept)") "intercept" else term
    t <- b[[term]] / se[[term]]
    put(paste0(p, "se[", key, "]"), se[[term]])
    put(paste0(p, "t[", key, "]"), t)
    put(paste0(p, "p[", key, "]"), 2 * pt(-abs(t), G - 1))
  }
  slopes <- b[-1]
  k <- length(slopes)
  f <- drop(t(slopes) %*% solve(V[-1, -1, drop = FALSE]) %*% slopes) / k
  put(paste0(p, "f"), f)
  put(paste0(p, "f_p"), pf(f, k, G - 1, lower.tail = FALSE))
}
note("lm.<model>.cl: cluster-robust (by unit) SEs, sandwich::vcovCL(m, cluster = unit) (HC1, cluster adjustment);")
note("p from pt(-|t|, G - 1) * 2; f = Wald F of the slopes, f_p = pf(f, p, G - 1, lower.tail = FALSE)")
put_clustered("concurrent", csat ~ culture + enps, panel)
put_clustered("lagged", csat ~ culture + enps, lagged)

header <- c(
  "# ethos fixtures: linkage analysis by ordinary least squares (lm).",
  "# Written by tests/reference/make_fixtures_linkage.R; do not edit by hand.",
  "# format: '<key> <value>', value = NA | number (formatC digits = 17, 'g')",
  paste0("# ", R.version.string, "; stats ", packageVersion("stats"), "; sandwich ", packageVersion("sandwich")),
  paste0("# set.seed(", seed, "); RNGkind: ", paste(RNGkind(), collapse = ", "))
)
meta <- c(paste("meta.r_version", getRversion()), paste("meta.seed", seed))
writeLines(c(header, meta, out), file.path(fixture_dir, "linkage.txt"))
cat("wrote", length(out), "lines to", file.path(fixture_dir, "linkage.txt"), "\n")
