# Golden values for ethos's confirmatory factor analysis (maximum likelihood, as lavaan 0.6.14's cfa() with its
# defaults) and omega total, from lavaan (Debian: r-cran-lavaan).
# Generates a seeded dataset of Likert answers (1-5) to 12 items measuring three correlated factors (items 4, 8 and
# 12 reverse-keyed, a few answers missing), writes it to data/cfa_likert.csv, reads it back, and fits:
#   - the three-factor model on the keyed items (reverse items turned round: 6 - x), listwise-complete rows,
#     estimator "ML", marker-variable identification (lavaan's defaults);
#   - a one-factor model of each factor's keyed items with the factor variance fixed to 1 (std.lv = TRUE), for omega
#     total = (sum of loadings)^2 / ((sum of loadings)^2 + sum of residual variances).
# Writes fixtures/cfa.txt: lines "<key> <value>", '#' comments, value NA or formatC(x, digits = 17, format = "g").
#
# Run from anywhere: Rscript tests/reference/make_fixtures_cfa.R

suppressPackageStartupMessages(library(lavaan))

seed <- 20261205L
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

if (as.character(packageVersion("lavaan")) != "0.6.14") {
  warning("lavaan is ", as.character(packageVersion("lavaan")), ", the fixtures are meant for 0.6.14")
}

# --- the data: three factors (correlations .5, .4, .3), four items each, answers cut from a normal response ---
n <- 600
phi <- matrix(c(1, .5, .4, .5, 1, .3, .4, .3, 1), 3, 3)
f <- matrix(rnorm(n * 3), n, 3) %*% chol(phi)
loading <- c(.8, .7, .6, .5, .75, .65, .6, .55, .7, .6, .5, .45)
factor_of <- rep(1:3, each = 4)
reverse <- c(FALSE, FALSE, FALSE, TRUE, FALSE, FALSE, FALSE, TRUE, FALSE, FALSE, FALSE, TRUE)
items <- sprintf("q%02d", 1:12)
answers <- matrix(NA_integer_, n, 12)
for (j in 1:12) {
  latent <- loading[j] * f[, factor_of[j]] + sqrt(1 - loading[j]^2) * rnorm(n)
  x <- as.integer(cut(latent, c(-Inf, -1.4, -0.5, 0.3, 1.1, Inf)))
  if (reverse[j]) x <- 6L - x
  x[runif(n) < 0.02] <- NA_integer_
  answers[, j] <- x
}
frame <- data.frame(id = sprintf("R%04d", 1:n), answers)
names(frame) <- c("id", items)
file <- file.path(data_dir, "cfa_likert.csv")
body <- sapply(frame, function(v) if (is.numeric(v)) ifelse(is.na(v), "", as.character(v)) else as.character(v))
writeLines(c(paste(names(frame), collapse = ","), apply(body, 1, paste, collapse = ",")), file)
data <- read.csv(file, stringsAsFactors = FALSE)

keyed <- data[, items]
for (j in which(reverse)) keyed[, j] <- 6 - keyed[, j]
complete <- keyed[complete.cases(keyed), ]

out <- character()
put <- function(key, value) out <<- c(out, paste(key, num(value)))
note <- function(text) out <<- c(out, paste("#", text))

# lavaan's default optimiser (nlminb) stops when the discrepancy changes by less than 1e-10 relative, which leaves
# the estimates about 1e-6 from the minimum. The single-group references are therefore fitted twice: with lavaan's
# own Gauss-Newton (Fisher scoring) iterated until no parameter moves by 1e-12 (the "tight" fit: the minimum to
# rounding, gradient below 1e-12), and with the defaults, as a user of lavaan sees them (keys <prefix>.nlminb.*).
# Multi-group models with equality constraints use the defaults only (lavaan 0.6.14's Gauss-Newton does not
# handle the constraints).
tight <- function(...) cfa(..., optim.method = "GN", optim.gn.tol.x = 1e-12, optim.gn.iter.max = 1000)

# One fitted model under `prefix`: whether it converged, the fit measures named, and every parameter's estimate,
# standard error and completely standardised value (keys <prefix>.<lhs><op><rhs>.est/.se/.std_all; in a
# multi-group model <prefix>.g<group>.<lhs><op><rhs>...). `plain`, when given, is the same model fitted with
# lavaan's defaults: its chi-square and estimates go under <prefix>.nlminb.
put_fit <- function(prefix, fit, measures, plain = NULL) {
  put(paste0(prefix, ".converged"), as.numeric(lavInspect(fit, "converged")))
  fm <- fitMeasures(fit, measures)
  for (name in names(fm)) put(paste0(prefix, ".fit.", name), unname(fm[name]))
  key_of <- function(pe, i) {
    g <- if (!is.null(pe$group) && lavInspect(fit, "ngroups") > 1) paste0("g", pe$group[i], ".") else ""
    paste0(prefix, ".", g, pe$lhs[i], pe$op[i], pe$rhs[i])
  }
  pe <- parameterEstimates(fit, standardized = TRUE)
  for (i in seq_len(nrow(pe))) {
    key <- key_of(pe, i)
    put(paste0(key, ".est"), pe$est[i])
    put(paste0(key, ".se"), pe$se[i])
    put(paste0(key, ".std_all"), pe$std.all[i])
  }
  if (!is.null(plain)) {
    put(paste0(prefix, ".nlminb.converged"), as.numeric(lavInspect(plain, "converged")))
    put(paste0(prefix, ".nlminb.chisq"), unname(fitMeasures(plain, "chisq")))
    pp <- parameterEstimates(plain)
    for (i in seq_len(nrow(pp))) {
      put(sub(paste0("^", prefix, "\\."), paste0(prefix, ".nlminb."), paste0(key_of(pp, i), ".est")), pp$est[i])
    }
  }
  fm
}

out <- c(out,
  "# ethos fixtures: confirmatory factor analysis and omega total by maximum likelihood (lavaan).",
  "# Written by tests/reference/make_fixtures_cfa.R; do not edit by hand.",
  "# format: '<key> <value>', value = NA | number (formatC digits = 17, 'g')",
  paste0("# ", R.version.string, "; lavaan ", as.character(packageVersion("lavaan"))),
  paste0("# set.seed(", seed, "); RNGkind: Mersenne-Twister, Inversion, Rejection"))
put("meta.seed", seed)
put("data.rows", nrow(data))
put("data.complete", nrow(complete))

# --- the three-factor model ---
model <- paste(
  "f1 =~ q01 + q02 + q03 + q04",
  "f2 =~ q05 + q06 + q07 + q08",
  "f3 =~ q09 + q10 + q11 + q12", sep = "\n")
fit <- tight(model, data = complete, estimator = "ML")
note("cfa3: cfa(model, data = complete keyed rows, estimator = 'ML'); lavaan's defaults otherwise (tight: GN)")
fm <- put_fit("cfa3", fit, c("npar", "fmin", "chisq", "df", "pvalue", "baseline.chisq", "baseline.df",
                             "baseline.pvalue", "cfi", "tli", "rmsea", "rmsea.ci.lower", "rmsea.ci.upper",
                             "rmsea.pvalue", "srmr", "logl", "unrestricted.logl"),
              plain = cfa(model, data = complete, estimator = "ML"))
# The sample covariance lavaan fits (divisor N).
s <- lavInspect(fit, "sampstat")$cov
for (i in seq_along(items)) for (j in seq_len(i)) put(sprintf("cfa3.s[%s,%s]", items[i], items[j]), s[i, j])

# --- a model that does not fit: every item on one factor (the RMSEA interval's lower bound is above 0) ---
fit1 <- tight(paste0("g =~ ", paste(items, collapse = " + ")), data = complete, estimator = "ML")
note("cfa1: cfa('g =~ q01 + ... + q12', estimator = 'ML'): one factor for three")
put_fit("cfa1", fit1, c("chisq", "df", "pvalue", "baseline.chisq", "cfi", "tli", "rmsea", "rmsea.ci.lower",
                        "rmsea.ci.upper", "rmsea.pvalue", "srmr"))

# --- omega total per factor: one-factor model, factor variance 1 ---
for (k in 1:3) {
  its <- items[factor_of == k]
  one <- tight(paste0("g =~ ", paste(its, collapse = " + ")), data = complete, estimator = "ML", std.lv = TRUE)
  p1 <- parameterEstimates(one)
  lam <- p1$est[p1$op == "=~"]
  theta <- p1$est[p1$op == "~~" & p1$lhs == p1$rhs & p1$lhs != "g"]
  note(sprintf("omega.f%d: cfa('g =~ %s', std.lv = TRUE); (sum lambda)^2 / ((sum lambda)^2 + sum theta)", k,
               paste(its, collapse = " + ")))
  put(sprintf("omega.f%d.converged", k), as.numeric(lavInspect(one, "converged")))
  put(sprintf("omega.f%d.omega", k), sum(lam)^2 / (sum(lam)^2 + sum(theta)))
  for (j in seq_along(its)) {
    put(sprintf("omega.f%d.loading[%s]", k, its[j]), lam[j])
    put(sprintf("omega.f%d.residual[%s]", k, its[j]), theta[j])
  }
  put(sprintf("omega.f%d.chisq", k), unname(fitMeasures(one, "chisq")))
}

# --- the bundled audit's structure on the bundled sample survey (examples/data/sample_survey.csv): twelve
# constructs of four 1-5 items, the reverse items as the instrument keys them (the model, not expected values) ---
constructs <- list(
  common_service_language = c("csl1", "csl2", "csl3", "csl4"),
  engaging_service_vision = c("esv1", "esv2", "esv3", "esv4"),
  service_staff_recruitment = c("ssr1", "ssr2", "ssr3", "ssr4"),
  new_staff_orientation = c("nso1", "nso2", "nso3", "nso4"),
  service_communications = c("scm1", "scm2", "scm3", "scm4"),
  service_recognition_and_rewards = c("srr1", "srr2", "srr3", "srr4"),
  voice_of_the_customer = c("voc1", "voc2", "voc3", "voc4"),
  service_measures_and_metrics = c("smm1", "smm2", "smm3", "smm4"),
  service_improvement_process = c("sip1", "sip2", "sip3", "sip4"),
  service_recovery_and_guarantees = c("srg1", "srg2", "srg3", "srg4"),
  service_benchmarking = c("sbm1", "sbm2", "sbm3", "sbm4"),
  service_role_modeling = c("srm1", "srm2", "srm3", "srm4"))
reverse_items <- c("csl3", "esv4", "ssr4", "nso4", "scm4", "srr4", "voc4", "smm4", "sip4", "srg4", "sbm4", "srm4")
survey <- read.csv(file.path(here, "..", "..", "examples", "data", "sample_survey.csv"), stringsAsFactors = FALSE)
audit_items <- unlist(constructs, use.names = FALSE)
keyed_survey <- survey[, audit_items]
for (it in reverse_items) keyed_survey[, it] <- 6 - keyed_survey[, it]
audit_complete <- keyed_survey[complete.cases(keyed_survey), ]
note("audit: cfa of the twelve constructs (factor f = construct, its four keyed items) on the sample survey's rows")
note("that answered all 48 items; omega per construct over the rows that answered its four items")
put("audit.rows", nrow(survey))
put("audit.complete", nrow(audit_complete))
factor_names <- sprintf("f%02d", seq_along(constructs))
audit_model <- paste(sprintf("%s =~ %s", factor_names, sapply(constructs, paste, collapse = " + ")),
                     collapse = "\n")
audit_fit <- tight(audit_model, data = audit_complete, estimator = "ML")
fma <- put_fit("audit", audit_fit, c("npar", "chisq", "df", "pvalue", "baseline.chisq", "cfi", "tli", "rmsea",
                                     "rmsea.ci.lower", "rmsea.ci.upper", "rmsea.pvalue", "srmr"),
               plain = cfa(audit_model, data = audit_complete, estimator = "ML"))
for (k in seq_along(constructs)) {
  its <- constructs[[k]]
  rows_k <- keyed_survey[complete.cases(keyed_survey[, its]), its]
  one <- tight(paste0("g =~ ", paste(its, collapse = " + ")), data = rows_k, estimator = "ML", std.lv = TRUE)
  p1 <- parameterEstimates(one)
  lam <- p1$est[p1$op == "=~"]
  theta <- p1$est[p1$op == "~~" & p1$lhs == p1$rhs & p1$lhs != "g"]
  put(sprintf("audit.omega.%s.n", names(constructs)[k]), nrow(rows_k))
  put(sprintf("audit.omega.%s.omega", names(constructs)[k]), sum(lam)^2 / (sum(lam)^2 + sum(theta)))
}


# --- more instruments: answers cut from a normal response on k-point scales, some items reverse-keyed, some
# answers missing. Each writes data/<file>.csv (id, [group column], items) and, under its prefix, the model it
# fits (<prefix>.factor[<item>] = the item's factor, <prefix>.reverse[<item>] = 1 when reverse-keyed,
# <prefix>.scale_max) so that a test builds the same model. ---
likert_answers <- function(n, sizes, loading, phi, cuts, reverse, missing, shift = 0, factor_mean = 0) {
  m <- length(sizes)
  f <- matrix(rnorm(n * m), n, m) %*% chol(phi)
  f <- sweep(f, 2, rep_len(factor_mean, m), "+")
  factor_of <- rep(seq_len(m), sizes)
  k <- length(cuts) + 1L
  shift <- rep_len(shift, sum(sizes))
  x <- matrix(NA_integer_, n, sum(sizes))
  for (j in seq_len(sum(sizes))) {
    latent <- loading[j] * f[, factor_of[j]] + sqrt(1 - loading[j]^2) * rnorm(n) + shift[j]
    v <- as.integer(cut(latent, c(-Inf, cuts, Inf)))
    if (reverse[j]) v <- (k + 1L) - v
    v[runif(n) < missing] <- NA_integer_
    x[, j] <- v
  }
  x
}
write_answers <- function(frame, name) {
  path <- file.path(data_dir, paste0(name, ".csv"))
  body <- sapply(frame, function(v) if (is.numeric(v)) ifelse(is.na(v), "", as.character(v)) else as.character(v))
  writeLines(c(paste(names(frame), collapse = ","), apply(body, 1, paste, collapse = ",")), path)
  read.csv(path, stringsAsFactors = FALSE)
}
put_design <- function(prefix, item_names, sizes, reverse, scale_max) {
  factor_of <- rep(seq_along(sizes), sizes)
  put(paste0(prefix, ".items"), length(item_names))
  put(paste0(prefix, ".scale_max"), scale_max)
  for (j in seq_along(item_names)) {
    put(sprintf("%s.factor[%s]", prefix, item_names[j]), factor_of[j])
    put(sprintf("%s.reverse[%s]", prefix, item_names[j]), as.numeric(reverse[j]))
  }
}
keyed_complete <- function(data, item_names, reverse, scale_max) {
  k <- data[, item_names]
  for (j in which(reverse)) k[, j] <- (scale_max + 1) - k[, j]
  k[complete.cases(k), ]
}
model_of <- function(item_names, sizes) {
  factor_of <- rep(seq_along(sizes), sizes)
  paste(sprintf("f%d =~ %s", seq_along(sizes),
                sapply(seq_along(sizes), function(f) paste(item_names[factor_of == f], collapse = " + "))),
        collapse = "\n")
}
single_measures <- c("npar", "chisq", "df", "pvalue", "baseline.chisq", "baseline.df", "cfi", "tli", "rmsea",
                     "rmsea.ci.lower", "rmsea.ci.upper", "rmsea.pvalue", "srmr", "logl", "unrestricted.logl")

# Two factors of 3 and 8 items on a 7-point scale.
cuts7 <- c(-1.5, -0.8, -0.25, 0.25, 0.8, 1.5)
sizes2 <- c(3, 8)
rev2 <- c(FALSE, FALSE, TRUE, FALSE, FALSE, TRUE, FALSE, FALSE, FALSE, FALSE, TRUE)
items2 <- sprintf("t%02d", seq_len(sum(sizes2)))
x2 <- likert_answers(500, sizes2, c(.8, .7, .65, .75, .7, .65, .6, .6, .55, .5, .45),
                     matrix(c(1, .35, .35, 1), 2), cuts7, rev2, 0.03)
d2 <- write_answers(setNames(data.frame(sprintf("T%04d", 1:500), x2), c("id", items2)), "cfa_two_factor")
put_design("cfa2", items2, sizes2, rev2, 7)
k2 <- keyed_complete(d2, items2, rev2, 7)
put("cfa2.complete", nrow(k2))
note("cfa2: two factors (3 and 8 items), 7-point scale, keyed complete rows of data/cfa_two_factor.csv")
put_fit("cfa2", tight(model_of(items2, sizes2), data = k2), single_measures,
        plain = cfa(model_of(items2, sizes2), data = k2))

# Six factors of 3 to 8 items on a 5-point scale.
cuts5 <- c(-1.4, -0.5, 0.3, 1.1)
sizes6 <- c(3, 4, 5, 6, 4, 8)
phi6 <- matrix(.3, 6, 6); diag(phi6) <- 1; phi6[1, 2] <- phi6[2, 1] <- .5; phi6[5, 6] <- phi6[6, 5] <- .1
rev6 <- rep(FALSE, sum(sizes6)); rev6[c(3, 7, 12, 18, 22, 30)] <- TRUE
items6 <- sprintf("s%02d", seq_len(sum(sizes6)))
x6 <- likert_answers(800, sizes6, rep(c(.8, .7, .6, .55, .65, .5), length.out = sum(sizes6)), phi6, cuts5, rev6,
                     0.02)
d6 <- write_answers(setNames(data.frame(sprintf("S%04d", 1:800), x6), c("id", items6)), "cfa_six_factor")
put_design("cfa6", items6, sizes6, rev6, 5)
k6 <- keyed_complete(d6, items6, rev6, 5)
put("cfa6.complete", nrow(k6))
note("cfa6: six factors (3, 4, 5, 6, 4, 8 items), 5-point scale, keyed complete rows of data/cfa_six_factor.csv")
put_fit("cfa6", tight(model_of(items6, sizes6), data = k6), single_measures,
        plain = cfa(model_of(items6, sizes6), data = k6))

# --- measurement invariance: two factors of four 5-point items (q4 and q8 reverse-keyed); the same loadings in
# every group, but some items' intercepts shifted in one group, so that scalar invariance fails. Groups are
# written one after the other, so lavaan's group order (first appearance) is the file's. Keys
# <prefix>.<level>.* for configural, metric (group.equal = "loadings") and scalar (c("loadings", "intercepts")),
# and <prefix>.lrt.<level>.* from lavTestLRT of each level against the one before. ---
inv_measures <- c("npar", "chisq", "df", "pvalue", "baseline.chisq", "baseline.df", "cfi", "tli", "rmsea",
                  "rmsea.ci.lower", "rmsea.ci.upper", "rmsea.pvalue", "srmr", "logl", "unrestricted.logl")
sizes_inv <- c(4, 4)
rev_inv <- c(FALSE, FALSE, FALSE, TRUE, FALSE, FALSE, FALSE, TRUE)
items_inv <- sprintf("q%d", 1:8)
loading_inv <- c(.8, .7, .65, .6, .75, .7, .6, .55)
phi_inv <- matrix(c(1, .4, .4, 1), 2)
keyed_groups <- list()
invariance_case <- function(prefix, file, column, labels, sizes_n, shifts, means) {
  parts <- list()
  for (g in seq_along(labels)) {
    x <- likert_answers(sizes_n[g], sizes_inv, loading_inv, phi_inv, cuts5, rev_inv, 0.02, shifts[[g]], means[[g]])
    parts[[g]] <- data.frame(sprintf("%s%04d", toupper(substr(labels[g], 1, 1)), seq_len(sizes_n[g])), labels[g], x)
  }
  frame <- do.call(rbind, parts)
  names(frame) <- c("id", column, items_inv)
  d <- write_answers(frame, file)
  put_design(prefix, items_inv, sizes_inv, rev_inv, 5)
  k <- d[, c(column, items_inv)]
  for (j in which(rev_inv)) k[, items_inv[j]] <- 6 - k[, items_inv[j]]
  k <- k[complete.cases(k), ]
  keyed_groups[[prefix]] <<- k
  for (g in seq_along(labels)) put(sprintf("%s.n[%d]", prefix, g), sum(k[, column] == labels[g]))
  model <- model_of(items_inv, sizes_inv)
  fits <- list(configural = cfa(model, data = k, group = column),
               metric = cfa(model, data = k, group = column, group.equal = "loadings"),
               scalar = cfa(model, data = k, group = column, group.equal = c("loadings", "intercepts")))
  for (level in names(fits)) {
    put_fit(paste0(prefix, ".", level), fits[[level]], inv_measures)
    stat_group <- lavInspect(fits[[level]], "test")$standard$stat.group
    for (g in seq_along(stat_group)) put(sprintf("%s.%s.chisq_group[%d]", prefix, level, g), stat_group[g])
  }
  for (pair in list(c("configural", "metric"), c("metric", "scalar"))) {
    lrt <- lavTestLRT(fits[[pair[1]]], fits[[pair[2]]])
    put(sprintf("%s.lrt.%s.delta_chisq", prefix, pair[2]), lrt[["Chisq diff"]][2])
    put(sprintf("%s.lrt.%s.delta_df", prefix, pair[2]), lrt[["Df diff"]][2])
    put(sprintf("%s.lrt.%s.pvalue", prefix, pair[2]), lrt[["Pr(>Chisq)"]][2])
  }
  fits
}
note("inv2: two sites (data/invariance_two.csv, column site); item q2 +0.6 and q6 -0.5 in the second site")
inv2 <- invariance_case("inv2", "invariance_two", "site", c("north", "south"), c(420, 380),
                        list(0, c(0, .6, 0, 0, 0, -.5, 0, 0)), list(0, c(.2, -.1)))
note("inv3: three units (data/invariance_three.csv, column unit); item q3 +0.7 in the third unit")
inv3 <- invariance_case("inv3", "invariance_three", "unit", c("alpha", "beta", "gamma"), c(300, 350, 250),
                        list(0, 0, c(0, 0, .7, 0, 0, 0, 0, 0)), list(0, c(.1, .1), c(-.2, 0)))

# --- an improper solution (a Heywood case): one factor of four items whose first item's loading would have to
# exceed 1 (its residual variance is negative); from a covariance matrix, which lavaan rescales by (N - 1)/N ---
hs <- matrix(c(1, .8, .75, .7, .8, 1, .5, .45, .75, .5, 1, .4, .7, .45, .4, 1), 4,
             dimnames = list(paste0("h", 1:4), paste0("h", 1:4)))
note("heywood: cfa('g =~ h1 + h2 + h3 + h4', sample.cov = S, sample.nobs = 200)")
hw <- suppressWarnings(tight("g =~ h1 + h2 + h3 + h4", sample.cov = hs, sample.nobs = 200))
put_fit("heywood", hw, c("chisq", "df", "cfi", "rmsea", "srmr"))
hs_ml <- lavInspect(hw, "sampstat")$cov
for (i in 1:4) for (j in 1:4) put(sprintf("heywood.s[%d,%d]", i, j), hs_ml[i, j])

# --- models lavaan cannot fit: estimates that do not converge (a two-item factor unrelated to the other one, and
# one factor of three items whose correlations have a negative product), and a model whose information matrix is
# singular at the estimates (lavaan: "could not compute standard errors") ---
failing <- list(
  tiny = list(s = c(1, .6, .02, 0, .6, 1, 0, 0, .02, 0, 1, -.05, 0, 0, -.05, 1), model = "a =~ x1 + x2\nb =~ x3 + x4"),
  negative = list(s = c(1, .5, -.3, .5, 1, .4, -.3, .4, 1), model = "a =~ x1 + x2 + x3"),
  unidentified = list(s = c(1, .5, .4, 0, 0, .5, 1, .45, 0, 0, .4, .45, 1, 0, 0, 0, 0, 0, 1, .3, 0, 0, 0, .3, 1),
                      model = "a =~ x1 + x2 + x3\nb =~ x4 + x5"))
for (name in names(failing)) {
  p <- as.integer(round(sqrt(length(failing[[name]]$s))))
  S <- matrix(failing[[name]]$s, p, dimnames = list(paste0("x", 1:p), paste0("x", 1:p)))
  ff <- suppressWarnings(cfa(failing[[name]]$model, sample.cov = S, sample.nobs = 300))
  note(sprintf("fail.%s: cfa('%s', sample.cov = S, sample.nobs = 300)", name, gsub("\n", "; ", failing[[name]]$model)))
  put(sprintf("fail.%s.converged", name), as.numeric(lavInspect(ff, "converged")))
  put(sprintf("fail.%s.se_available", name), as.numeric(lavInspect(ff, "converged") &&
                                                          all(is.finite(parameterEstimates(ff)$se[parameterEstimates(ff)$op == "=~" & parameterEstimates(ff)$se > 0]))))
}

# --- (last: lavaan draws random numbers, so no data are generated after this) the audit's invariance across the
# sample survey's departments, as `ethos-assess --cfa --invariance-by department` reports it: the departments with at
# least 49 rows that answered every item (the items + 1; more than the minimum group size of 5), in order of first
# appearance, and the pooled fit of each level ---
audit_groups <- survey[, c("department", audit_items)]
for (it in reverse_items) audit_groups[, it] <- 6 - audit_groups[, it]
audit_groups <- audit_groups[complete.cases(audit_groups[, audit_items]), ]
complete_by <- table(factor(audit_groups$department, levels = unique(survey$department)))
compared <- names(complete_by)[complete_by >= length(audit_items) + 1]
audit_groups <- audit_groups[audit_groups$department %in% compared, ]
note(sprintf("audit.department: cfa(audit model, group = 'department', group.equal = ...) on the %d departments with 49",
             length(compared)))
note(sprintf("or more complete rows (%s)", paste(compared, collapse = ", ")))
put("audit.department.groups", length(compared))
put("audit.department.n", nrow(audit_groups))
for (eq in list(configural = "none", metric = "loadings", scalar = c("loadings", "intercepts"))) {
  level <- if (identical(eq, "none")) "configural" else if (identical(eq, "loadings")) "metric" else "scalar"
  fit_t <- cfa(audit_model, data = audit_groups, group = "department", group.equal = eq)
  fm_t <- fitMeasures(fit_t, c("chisq", "df", "cfi", "tli", "rmsea", "srmr"))
  for (name in names(fm_t)) put(sprintf("audit.department.%s.%s", level, name), unname(fm_t[name]))
}

# --- the two sites of inv2 again with unit factor variances (std.lv = TRUE): every loading free; once the loadings
# are equal, lavaan frees the second site's factor variances ---
note("inv2lv: the keyed complete rows of inv2, cfa(model, group = 'site', std.lv = TRUE, group.equal = ...)")
for (eq in list(configural = "none", metric = "loadings", scalar = c("loadings", "intercepts"))) {
  level <- if (identical(eq, "none")) "configural" else if (identical(eq, "loadings")) "metric" else "scalar"
  put_fit(paste0("inv2lv.", level),
          cfa(model_of(items_inv, sizes_inv), data = keyed_groups[["inv2"]], group = "site", std.lv = TRUE,
              group.equal = eq), c("npar", "chisq", "df", "cfi", "tli", "rmsea", "srmr"))
}

writeLines(out, file.path(fixture_dir, "cfa.txt"))
cat("audit: complete", nrow(audit_complete), "chisq", fma["chisq"], "df", fma["df"], "cfi", fma["cfi"], "\n")
cat("cfa3: chisq", fm["chisq"], "df", fm["df"], "cfi", fm["cfi"], "rmsea", fm["rmsea"], "srmr", fm["srmr"], "\n")
cat("rows", nrow(data), "complete", nrow(complete), "\n")
