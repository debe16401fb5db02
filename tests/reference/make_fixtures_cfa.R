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

# One fitted model under `prefix`: whether it converged, the fit measures named, and every parameter's estimate,
# standard error and completely standardised value (keys <prefix>.<lhs><op><rhs>.est/.se/.std_all).
put_fit <- function(prefix, fit, measures) {
  put(paste0(prefix, ".converged"), as.numeric(lavInspect(fit, "converged")))
  fm <- fitMeasures(fit, measures)
  for (name in names(fm)) put(paste0(prefix, ".fit.", name), unname(fm[name]))
  pe <- parameterEstimates(fit, standardized = TRUE)
  for (i in seq_len(nrow(pe))) {
    key <- paste0(prefix, ".", pe$lhs[i], pe$op[i], pe$rhs[i])
    put(paste0(key, ".est"), pe$est[i])
    put(paste0(key, ".se"), pe$se[i])
    put(paste0(key, ".std_all"), pe$std.all[i])
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
fit <- cfa(model, data = complete, estimator = "ML")
note("cfa3: cfa(model, data = complete keyed rows, estimator = 'ML'); lavaan's defaults otherwise")
fm <- put_fit("cfa3", fit, c("npar", "fmin", "chisq", "df", "pvalue", "baseline.chisq", "baseline.df",
                             "baseline.pvalue", "cfi", "tli", "rmsea", "rmsea.ci.lower", "rmsea.ci.upper",
                             "rmsea.pvalue", "srmr", "logl", "unrestricted.logl"))
# The sample covariance lavaan fits (divisor N).
s <- lavInspect(fit, "sampstat")$cov
for (i in seq_along(items)) for (j in seq_len(i)) put(sprintf("cfa3.s[%s,%s]", items[i], items[j]), s[i, j])

# --- a model that does not fit: every item on one factor (the RMSEA interval's lower bound is above 0) ---
fit1 <- cfa(paste0("g =~ ", paste(items, collapse = " + ")), data = complete, estimator = "ML")
note("cfa1: cfa('g =~ q01 + ... + q12', estimator = 'ML'): one factor for three")
put_fit("cfa1", fit1, c("chisq", "df", "pvalue", "baseline.chisq", "cfi", "tli", "rmsea", "rmsea.ci.lower",
                        "rmsea.ci.upper", "rmsea.pvalue", "srmr"))

# --- omega total per factor: one-factor model, factor variance 1 ---
for (k in 1:3) {
  its <- items[factor_of == k]
  one <- cfa(paste0("g =~ ", paste(its, collapse = " + ")), data = complete, estimator = "ML", std.lv = TRUE)
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
audit_fit <- cfa(audit_model, data = audit_complete, estimator = "ML")
fma <- put_fit("audit", audit_fit, c("npar", "chisq", "df", "pvalue", "baseline.chisq", "cfi", "tli", "rmsea",
                                     "rmsea.ci.lower", "rmsea.ci.upper", "rmsea.pvalue", "srmr"))
for (k in seq_along(constructs)) {
  its <- constructs[[k]]
  rows_k <- keyed_survey[complete.cases(keyed_survey[, its]), its]
  one <- cfa(paste0("g =~ ", paste(its, collapse = " + ")), data = rows_k, estimator = "ML", std.lv = TRUE)
  p1 <- parameterEstimates(one)
  lam <- p1$est[p1$op == "=~"]
  theta <- p1$est[p1$op == "~~" & p1$lhs == p1$rhs & p1$lhs != "g"]
  put(sprintf("audit.omega.%s.n", names(constructs)[k]), nrow(rows_k))
  put(sprintf("audit.omega.%s.omega", names(constructs)[k]), sum(lam)^2 / (sum(lam)^2 + sum(theta)))
}

writeLines(out, file.path(fixture_dir, "cfa.txt"))
cat("audit: complete", nrow(audit_complete), "chisq", fma["chisq"], "df", fma["df"], "cfi", fma["cfi"], "\n")
cat("cfa3: chisq", fm["chisq"], "df", fm["df"], "cfi", fm["cfi"], "rmsea", fm["rmsea"], "srmr", fm["srmr"], "\n")
cat("rows", nrow(data), "complete", nrow(complete), "\n")
