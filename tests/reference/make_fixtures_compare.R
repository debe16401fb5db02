# Golden values for ethos/stats/compare.hpp and ethos/stats/drivers.hpp, from base R only (stats).
# Generates small seeded datasets, writes them to data/compare_*.csv, reads them back, and writes
# fixtures/compare.txt: lines "<key> <value>", '#' comments, value NA or formatC(x, digits = 17, format = "g").
#
# Run from anywhere: Rscript tests/reference/make_fixtures_compare.R

seed <- 20240611L
set.seed(seed)

args <- commandArgs(trailingOnly = FALSE)
file_arg <- sub("^--file=", "", args[grep("^--file=", args)])
here <- if (length(file_arg) == 1) dirname(normalizePath(file_arg)) else getwd()
data_dir <- file.path(here, "data")
fixture_dir <- file.path(here, "fixtures")
dir.create(data_dir, showWarnings = FALSE, recursive = TRUE)
dir.create(fixture_dir, showWarnings = FALSE, recursive = TRUE)

# formatC pads short results to a width of digits + 1, hence the trimws.
fmt17 <- function(x) trimws(formatC(x, digits = 17, format = "g"))
num <- function(x) ifelse(is.na(x), "NA", fmt17(x))

# Columns of unequal length are padded with NA; NA is written as an empty field.
write_columns <- function(cols, file) {
  len <- max(lengths(cols))
  padded <- lapply(cols, function(v) c(v, rep(NA_real_, len - length(v))))
  body <- do.call(cbind, lapply(padded, function(v) ifelse(is.na(v), "", fmt17(v))))
  lines <- c(paste(names(cols), collapse = ","), apply(body, 1, paste, collapse = ","))
  writeLines(lines, file)
  # Read back so that every statistic below comes from exactly the numbers the C++ tests read.
  read.csv(file, colClasses = "numeric")
}

out <- character()
put <- function(key, value) out <<- c(out, paste(key, num(value)))
note <- function(text) out <<- c(out, paste("#", text))

# ---- Welch t, Cohen's d, Hedges' g --------------------------------------------------------------------------------
b2 <- rnorm(60, 47, 15)
b2[c(7, 41)] <- NA # two missing answers: t.test drops them, as must ethos
samples <- write_columns(list(
  a1 = rnorm(30, 3.8, 0.7), b1 = rnorm(30, 3.5, 0.7),              # equal sizes, equal spread
  a2 = rnorm(25, 50, 5), b2 = b2,                                  # unequal sizes and variances
  a3 = as.numeric(sample(1:5, 12, replace = TRUE)),                # Likert answers, small n
  b3 = as.numeric(sample(1:5, 40, replace = TRUE, prob = c(1, 2, 3, 5, 4)))
), file.path(data_dir, "compare_samples.csv"))

note("Welch t: t.test(a, b) (var.equal = FALSE): t = (mean(a) - mean(b)) / se; columns a<i>, b<i> of data/compare_samples.csv")
note("effect: Cohen's d = (mean(a) - mean(b)) / pooled SD; Hedges' g = d * (1 - 3 / (4 (n_a + n_b) - 9))")
for (i in 1:3) {
  a <- samples[[paste0("a", i)]]
  b <- samples[[paste0("b", i)]]
  a <- a[!is.na(a)]
  b <- b[!is.na(b)]
  tt <- t.test(a, b)
  na <- length(a); nb <- length(b)
  pooled <- sqrt(((na - 1) * var(a) + (nb - 1) * var(b)) / (na + nb - 2))
  d <- (mean(a) - mean(b)) / pooled
  g <- d * (1 - 3 / (4 * (na + nb) - 9))
  p <- paste0("welch.", i, ".")
  put(paste0(p, "n_a"), na)
  put(paste0(p, "n_b"), nb)
  put(paste0(p, "mean_difference"), mean(a) - mean(b))
  put(paste0(p, "se"), tt$stderr)
  put(paste0(p, "t"), unname(tt$statistic))
  put(paste0(p, "df"), unname(tt$parameter))
  put(paste0(p, "p"), tt$p.value)
  e <- paste0("effect.", i, ".")
  put(paste0(e, "pooled_sd"), pooled)
  put(paste0(e, "cohens_d"), d)
  put(paste0(e, "hedges_g"), g)
}

# ---- Pearson r and Fisher's z interval ----------------------------------------------------------------------------
x1 <- rnorm(50); y1 <- 0.5 * x1 + rnorm(50, sd = 0.9)
x1[3] <- NA; y1[17] <- NA
x2 <- rnorm(80, 10, 2); y2 <- -0.3 * x2 + rnorm(80, sd = 1.8)
y2[c(5, 60, 61)] <- NA
cors <- write_columns(list(x1 = x1, y1 = y1, x2 = x2, y2 = y2), file.path(data_dir, "compare_cor.csv"))

note("cor: cor.test(x, y, conf.level = level) over complete pairs of columns x<i>, y<i> of data/compare_cor.csv;")
note("z = atanh(r), se = 1 / sqrt(n - 3)")
levels <- c(0.95, 0.90)
for (i in 1:2) {
  x <- cors[[paste0("x", i)]]
  y <- cors[[paste0("y", i)]]
  ok <- complete.cases(x, y)
  ct <- cor.test(x[ok], y[ok], conf.level = levels[i])
  p <- paste0("cor.", i, ".")
  put(paste0(p, "n"), sum(ok))
  put(paste0(p, "level"), levels[i])
  put(paste0(p, "r"), unname(ct$estimate))
  put(paste0(p, "z"), atanh(unname(ct$estimate)))
  put(paste0(p, "se"), 1 / sqrt(sum(ok) - 3))
  put(paste0(p, "lower"), ct$conf.int[1])
  put(paste0(p, "upper"), ct$conf.int[2])
}

# ---- eNPS difference -----------------------------------------------------------------------------------------------
note("nps: score = 100 (p - d), se = 100 sqrt((p + d - (p - d)^2) / n) per group; difference a - b,")
note("se = sqrt(se_a^2 + se_b^2), z = difference / se, p = 2 pnorm(-|z|)")
nps_sets <- list(
  list(a = c(48, 31, 21), b = c(35, 40, 25)),
  list(a = c(7, 9, 13), b = c(112, 54, 38))
)
enps <- function(cnt) {
  n <- sum(cnt); pr <- cnt[1] / n; de <- cnt[3] / n
  c(score = 100 * (pr - de), se = 100 * sqrt((pr + de - (pr - de)^2) / n))
}
for (i in seq_along(nps_sets)) {
  s <- nps_sets[[i]]
  ea <- enps(s$a); eb <- enps(s$b)
  diff <- unname(ea["score"] - eb["score"])
  se <- unname(sqrt(ea["se"]^2 + eb["se"]^2))
  z <- diff / se
  p <- paste0("nps.", i, ".")
  for (side in c("a", "b")) {
    cnt <- s[[side]]
    put(paste0(p, side, ".promoters"), cnt[1])
    put(paste0(p, side, ".passives"), cnt[2])
    put(paste0(p, side, ".detractors"), cnt[3])
  }
  put(paste0(p, "a.score"), ea["score"]); put(paste0(p, "a.se"), ea["se"])
  put(paste0(p, "b.score"), eb["score"]); put(paste0(p, "b.se"), eb["se"])
  put(paste0(p, "difference"), diff)
  put(paste0(p, "se"), se)
  put(paste0(p, "z"), z)
  put(paste0(p, "p"), 2 * pnorm(-abs(z)))
}

# ---- Relative weights (Johnson 2000) ------------------------------------------------------------------------------
n <- 200
f <- rnorm(n) # a common factor makes the predictors correlated, as survey drivers are
X <- cbind(x1 = 0.8 * f + rnorm(n, sd = 0.6), x2 = 0.6 * f + rnorm(n, sd = 0.8),
           x3 = 0.3 * f + rnorm(n), x4 = rnorm(n))
y <- 0.5 * X[, "x1"] + 0.3 * X[, "x2"] + 0.1 * X[, "x3"] + rnorm(n)
X <- round(3 + X, 3); y <- round(3 + y, 3) # survey-like magnitudes; rounding keeps the CSV short
drv <- data.frame(X, y = y)
for (col in names(drv)) drv[[col]][sample(n, 4)] <- NA # scattered missing answers
drivers <- write_columns(as.list(drv), file.path(data_dir, "compare_drivers.csv"))

note("rw: Johnson's relative weights of y on x1..x4 over complete cases of data/compare_drivers.csv:")
note("Rxx = V diag(lambda) V', Lambda = V diag(sqrt(lambda)) V', beta = solve(Lambda, rxy), weight = Lambda^2 beta^2;")
note("rw.r_squared is summary(lm(y ~ x1 + x2 + x3 + x4))$r.squared, rw.weight_sum the sum of the weights")
cc <- drivers[complete.cases(drivers), ]
R <- cor(cc)
preds <- c("x1", "x2", "x3", "x4")
Rxx <- R[preds, preds]
rxy <- R[preds, "y"]
e <- eigen(Rxx, symmetric = TRUE)
Lambda <- e$vectors %*% diag(sqrt(e$values)) %*% t(e$vectors)
beta <- solve(Lambda, rxy)
raw <- as.vector(Lambda^2 %*% beta^2)
r2 <- summary(lm(y ~ x1 + x2 + x3 + x4, data = cc))$r.squared
stopifnot(abs(sum(raw) - r2) < 1e-12)
put("rw.n", nrow(cc))
put("rw.dropped", nrow(drivers) - nrow(cc))
for (j in seq_along(preds)) {
  put(paste0("rw.r[", preds[j], "]"), rxy[j])
  put(paste0("rw.weight[", preds[j], "]"), raw[j])
  put(paste0("rw.rescaled[", preds[j], "]"), raw[j] / r2)
}
put("rw.weight_sum", sum(raw))
put("rw.r_squared", r2)

header <- c(
  "# ethos fixtures: comparisons, correlations, eNPS differences and relative weights.",
  "# Written by tests/reference/make_fixtures_compare.R; do not edit by hand.",
  "# format: '<key> <value>', value = NA | number (formatC digits = 17, 'g')",
  paste0("# ", R.version.string, "; stats ", packageVersion("stats"), "; base packages only"),
  paste0("# set.seed(", seed, "); RNGkind: ", paste(RNGkind(), collapse = ", "))
)
meta <- c(paste("meta.r_version", getRversion()), paste("meta.seed", seed))
writeLines(c(header, meta, out), file.path(fixture_dir, "compare.txt"))
