"""R and SPSS syntax that reproduces each analysis on the exported dataset.

R: run next to the unzipped R export (``source("load.R")`` reads data.csv into ``d`` with
factors); base R plus MASS (shipped with R) and, for the adjusted means, the ``emmeans``
package. SPSS: open the .sav export (categories are codes in the order of
:data:`koers.stats.research.LEVELS`, which :func:`code` gives). The scripts fit the same
models as Koers; small differences come from SPSS's Bonferroni (it has no Holm in
EMMEANS) and from optimiser tolerances.
"""

from __future__ import annotations

from koers.stats.research.core import LEVELS


def code(column: str, value: str) -> int:
    """The SPSS code of a category value (1-based position in LEVELS)."""
    return LEVELS[column].index(value) + 1


def _c(column: str, value: str) -> str:
    return f"{column} = {code(column, value)}"


_R: dict[str, str] = {
    "function-by-sector": """\
source("load.R")
x <- droplevels(subset(d, function_group %in% c("technical", "non_technical") &
                          sector_objective %in% c("technical_sector", "non_technical_sector")))
x$group <- interaction(x$sector_objective, x$function_group, sep = " / ")
print(round(100 * prop.table(table(x$group)), 1))
for (g in levels(x$group)) print(prop.test(sum(x$group == g), nrow(x), correct = FALSE)$conf.int)
t2 <- table(x$function_group, x$sector_objective)
test <- chisq.test(t2, correct = FALSE)
print(test)
cat("phi =", sqrt(test$statistic / sum(t2)), "\\n")
g <- droplevels(subset(x, gender %in% c("woman", "man")))
print(chisq.test(table(g$group, g$gender), correct = FALSE))
""",
    "objective-subjective-sector": """\
source("load.R")
x <- droplevels(subset(d, sector_subjective %in% c("yes", "no") & !is.na(sector_objective)))
print(round(100 * prop.table(table(x$organisation_type, x$sector_subjective), 1), 1))
t2 <- table(x$sector_objective, x$sector_subjective)
po <- sum(diag(t2)) / sum(t2)
pe <- sum(rowSums(t2) * colSums(t2)) / sum(t2)^2
cat("agreement =", po, " kappa =", (po - pe) / (1 - pe), "\\n")
# Interval: psych::cohen.kappa(t2) or vcd::Kappa(t2) (asymptotic standard error)
""",
    "income-hours-by-job-sector": """\
source("load.R")
library(MASS)
x <- droplevels(subset(d, function_group %in% c("technical", "non_technical") &
                          sector_objective %in% c("technical_sector", "non_technical_sector") &
                          education_level %in% 1:5 & !is.na(gender)))
x$non_technical_job <- as.numeric(x$function_group == "non_technical")
x$technical_sector <- as.numeric(x$sector_objective == "technical_sector")
x$woman <- as.numeric(x$gender == "woman")
x$wo <- as.numeric(x$education_level >= 3)
x <- x[complete.cases(x[, c("income_band", "age", "contract_hours")]), ]
income <- polr(factor(income_band, ordered = TRUE) ~ non_technical_job * technical_sector +
                 contract_hours + age + wo + woman, data = x, method = "logistic", Hess = TRUE)
print(exp(cbind(OR = coef(income), confint.default(income))))
hours <- lm(contract_hours ~ non_technical_job * technical_sector + income_band + age + wo + woman,
            data = x)
print(summary(hours)); print(confint(hours))
at <- expand.grid(non_technical_job = 0:1, technical_sector = 0:1)
at$income_band <- mean(x$income_band); at$age <- mean(x$age); at$wo <- mean(x$wo)
at$woman <- mean(x$woman)
print(cbind(at[, 1:2], predict(hours, at, interval = "confidence")))
""",
    "income-hours-by-gender": """\
source("load.R")
library(MASS)
x <- droplevels(subset(d, gender %in% c("woman", "man") & education_level %in% 1:5))
x$woman <- as.numeric(x$gender == "woman")
x$wo <- as.numeric(x$education_level >= 3)
x <- x[complete.cases(x[, c("income_band", "age", "contract_hours", "wo")]), ]
income <- polr(factor(income_band, ordered = TRUE) ~ woman + age + contract_hours + wo,
               data = x, method = "logistic", Hess = TRUE)
print(summary(income))
print(exp(cbind(OR = coef(income), confint.default(income))))
print(summary(lm(income_band ~ woman + age + contract_hours + wo, data = x)))
hours <- lm(contract_hours ~ woman + age + income_band + wo, data = x)
print(summary(hours)); print(confint(hours))
""",
    "profiles-by-background": """\
source("load.R")
x <- subset(d, !is.na(profile))
tests <- list()
for (v in c("institution_type", "study_cluster", "function_group", "sector_objective", "gender")) {
  keep <- list(institution_type = c("hbo", "wo"), study_cluster = c("cluster_1", "cluster_2"),
               function_group = c("technical", "non_technical"),
               sector_objective = c("technical_sector", "non_technical_sector"),
               gender = c("woman", "man"))[[v]]
  y <- droplevels(x[x[[v]] %in% keep, ])
  t <- table(y$profile, y[[v]])
  test <- chisq.test(t, correct = FALSE)
  cat("\\n", v, "\\n"); print(test)
  cat("Cramer's V =", sqrt(test$statistic / (sum(t) * (min(dim(t)) - 1))), "\\n")
  print(round(test$stdres, 2))   # adjusted standardised residuals
  tests[[v]] <- test$p.value
}
print(p.adjust(unlist(tests), method = "holm"))
""",
    "scales-by-profile": """\
source("load.R")
library(emmeans)   # install.packages("emmeans") once
x <- droplevels(subset(d, !is.na(profile) & function_group %in% c("technical", "non_technical")))
x$non_technical_job <- as.numeric(x$function_group == "non_technical")
x$woman <- as.numeric(x$gender == "woman")
x$wo <- as.numeric(x$institution_type == "wo")
x$cluster_2 <- as.numeric(x$study_cluster == "cluster_2")
for (scale in c("identification", "career_clarity", "career_commitment", "career_exploration")) {
  covs <- c("age", "contract_hours", "non_technical_job")
  if (scale != "identification") covs <- c(covs, "woman", "wo", "cluster_2")
  y <- droplevels(x[complete.cases(x[, c(scale, covs, "profile")]), ])
  f <- as.formula(paste(scale, "~ profile +", paste(covs, collapse = " + ")))
  fit <- lm(f, data = y)
  cat("\\n", scale, "\\n"); print(drop1(fit, test = "F"))
  em <- emmeans(fit, "profile")
  print(em); print(pairs(em, adjust = "holm"))
  print(multcomp::cld(em, adjust = "holm", Letters = letters))
}
""",
    "leave-by-profile": """\
source("load.R")
x <- droplevels(subset(d, sector_objective == "technical_sector" &
                          future_sector %in% c("technical", "non_technical") &
                          study_cluster %in% c("cluster_1", "cluster_2") &
                          function_group %in% c("technical", "non_technical")))
x$leave <- as.numeric(x$future_sector == "non_technical")
m1 <- glm(leave ~ study_cluster + function_group, family = binomial, data = x)
print(exp(cbind(OR = coef(m1), confint.default(m1))))
p <- droplevels(subset(x, !is.na(profile)))
print(round(100 * prop.table(table(p$profile, p$leave), 1), 1))
print(chisq.test(table(p$profile, p$leave), correct = FALSE))
m0 <- glm(leave ~ study_cluster + function_group, family = binomial, data = p)
m2 <- update(m0, . ~ . + profile)
print(anova(m0, m2, test = "LRT"))
print(exp(cbind(OR = coef(m2), confint.default(m2))))
g <- droplevels(subset(x, gender %in% c("woman", "man")))
m3 <- glm(leave ~ study_cluster + function_group + gender, family = binomial, data = g)
print(exp(cbind(OR = coef(m3), confint.default(m3))))
""",
    "gender-stigma": """\
source("load.R")
x <- droplevels(subset(d, gender %in% c("woman", "man") & !is.na(sector_objective)))
x$woman <- as.numeric(x$gender == "woman")
x$technical_sector <- as.numeric(x$sector_objective == "technical_sector")
a <- lm(gender_stigma ~ woman * technical_sector + woman * gender_ratio, data = x)
print(summary(a)); print(confint(a))
print(aggregate(gender_stigma ~ sector_objective + gender, data = x, FUN = mean))
b <- lm(career_clarity ~ gender_stigma * woman + age + contract_hours, data = x)
print(summary(b)); print(confint(b))
# slope of stigma for women: gender_stigma + gender_stigma:woman
w <- c(0, 1, 0, 0, 0, 1)
names(w) <- names(coef(b))
est <- sum(w * coef(b)); se <- sqrt(drop(t(w) %*% vcov(b) %*% w))
cat("slope women =", est, "95% CI", est + c(-1, 1) * qt(0.975, df.residual(b)) * se, "\\n")
""",
}


def _spss() -> dict[str, str]:
    tech_f, nontech_f = code("function_group", "technical"), code("function_group", "non_technical")
    tech_s = code("sector_objective", "technical_sector")
    nontech_s = code("sector_objective", "non_technical_sector")
    woman, man = code("gender", "woman"), code("gender", "man")
    yes, no = code("sector_subjective", "yes"), code("sector_subjective", "no")
    hbo, wo = code("institution_type", "hbo"), code("institution_type", "wo")
    c1, c2 = code("study_cluster", "cluster_1"), code("study_cluster", "cluster_2")
    fut_t, fut_n = code("future_sector", "technical"), code("future_sector", "non_technical")
    head = "* Koers research: open the .sav export first.\nGET FILE='research.sav'.\n"
    return {
        "function-by-sector": head
        + f"""\
SELECT IF (ANY(function_group, {tech_f}, {nontech_f})
  AND ANY(sector_objective, {tech_s}, {nontech_s})).
COMPUTE group = (sector_objective - 1) * 2 + function_group.
VALUE LABELS group 1 'technical sector / technical job' 2 'technical sector / non-technical job'
  3 'non-technical sector / technical job' 4 'non-technical sector / non-technical job'.
FREQUENCIES VARIABLES=group.
CROSSTABS /TABLES=function_group BY sector_objective /STATISTICS=CHISQ PHI /CELLS=COUNT COLUMN.
TEMPORARY.
SELECT IF ANY(gender, {woman}, {man}).
CROSSTABS /TABLES=group BY gender /STATISTICS=CHISQ PHI /CELLS=COUNT COLUMN ASRESID.
""",
        "objective-subjective-sector": head
        + f"""\
SELECT IF (ANY(sector_subjective, {yes}, {no}) AND NOT MISSING(sector_objective)).
CROSSTABS /TABLES=organisation_type BY sector_subjective /CELLS=COUNT ROW.
* Kappa needs the same codes in both variables: technical = 1, non-technical = 2.
COMPUTE subjective_sector = sector_subjective.
CROSSTABS /TABLES=sector_objective BY subjective_sector /STATISTICS=KAPPA /CELLS=COUNT TOTAL.
""",
        "income-hours-by-job-sector": head
        + f"""\
SELECT IF (ANY(function_group, {tech_f}, {nontech_f})
  AND ANY(sector_objective, {tech_s}, {nontech_s})
  AND RANGE(education_level, 1, 5) AND NOT MISSING(gender)).
COMPUTE non_technical_job = (function_group = {nontech_f}).
COMPUTE technical_sector = (sector_objective = {tech_s}).
COMPUTE job_x_sector = non_technical_job * technical_sector.
COMPUTE woman = (gender = {woman}).
COMPUTE wo = (education_level >= 3).
PLUM income_band WITH non_technical_job technical_sector job_x_sector contract_hours age wo woman
  /LINK=LOGIT /PRINT=FIT PARAMETER SUMMARY.
UNIANOVA contract_hours BY function_group sector_objective WITH income_band age wo woman
  /METHOD=SSTYPE(3) /EMMEANS=TABLES(function_group*sector_objective)
  /PRINT=PARAMETER ETASQ.
""",
        "income-hours-by-gender": head
        + f"""\
SELECT IF (ANY(gender, {woman}, {man}) AND RANGE(education_level, 1, 5)).
COMPUTE woman = (gender = {woman}).
COMPUTE wo = (education_level >= 3).
* Proportional-odds model; SPSS PLUM uses logit P(Y <= j) = theta_j - b*x, as Koers.
PLUM income_band WITH woman age contract_hours wo /LINK=LOGIT
  /PRINT=FIT PARAMETER SUMMARY TPARALLEL.
REGRESSION /STATISTICS COEFF CI(95) R ANOVA /DEPENDENT income_band
  /METHOD=ENTER woman age contract_hours wo.
REGRESSION /STATISTICS COEFF CI(95) R ANOVA /DEPENDENT contract_hours
  /METHOD=ENTER woman age income_band wo.
""",
        "profiles-by-background": head
        + f"""\
SELECT IF NOT MISSING(profile).
TEMPORARY.
SELECT IF ANY(institution_type, {hbo}, {wo}).
CROSSTABS /TABLES=profile BY institution_type /STATISTICS=CHISQ PHI /CELLS=COUNT COLUMN ASRESID.
TEMPORARY.
SELECT IF ANY(study_cluster, {c1}, {c2}).
CROSSTABS /TABLES=profile BY study_cluster /STATISTICS=CHISQ PHI /CELLS=COUNT COLUMN ASRESID.
CROSSTABS /TABLES=profile BY function_group sector_objective /STATISTICS=CHISQ PHI
  /CELLS=COUNT COLUMN ASRESID.
TEMPORARY.
SELECT IF ANY(gender, {woman}, {man}).
CROSSTABS /TABLES=profile BY gender /STATISTICS=CHISQ PHI /CELLS=COUNT COLUMN ASRESID.
* Holm over the five p-values: multiply the smallest by 5, the next by 4, ... (keep monotone).
""",
        "scales-by-profile": head
        + f"""\
SELECT IF (NOT MISSING(profile) AND ANY(function_group, {tech_f}, {nontech_f})).
COMPUTE non_technical_job = (function_group = {nontech_f}).
COMPUTE woman = (gender = {woman}).
COMPUTE wo = (institution_type = {wo}).
COMPUTE cluster_2 = (study_cluster = {c2}).
* EMMEANS offers LSD, Bonferroni or Sidak; apply Holm to the LSD p-values by hand.
UNIANOVA identification BY profile WITH age contract_hours non_technical_job
  /METHOD=SSTYPE(2) /PRINT=ETASQ /EMMEANS=TABLES(profile) COMPARE ADJ(LSD).
UNIANOVA career_clarity BY profile WITH age contract_hours non_technical_job woman wo cluster_2
  /METHOD=SSTYPE(2) /PRINT=ETASQ /EMMEANS=TABLES(profile) COMPARE ADJ(LSD).
UNIANOVA career_commitment BY profile WITH age contract_hours non_technical_job woman wo cluster_2
  /METHOD=SSTYPE(2) /PRINT=ETASQ /EMMEANS=TABLES(profile) COMPARE ADJ(LSD).
UNIANOVA career_exploration BY profile WITH age contract_hours non_technical_job woman wo cluster_2
  /METHOD=SSTYPE(2) /PRINT=ETASQ /EMMEANS=TABLES(profile) COMPARE ADJ(LSD).
""",
        "leave-by-profile": head
        + f"""\
SELECT IF (sector_objective = {tech_s} AND ANY(future_sector, {fut_t}, {fut_n})
  AND ANY(study_cluster, {c1}, {c2}) AND ANY(function_group, {tech_f}, {nontech_f})).
COMPUTE leave = (future_sector = {fut_n}).
COMPUTE cluster_2 = (study_cluster = {c2}).
COMPUTE non_technical_job = (function_group = {nontech_f}).
LOGISTIC REGRESSION VARIABLES leave /METHOD=ENTER cluster_2 non_technical_job /PRINT=CI(95).
CROSSTABS /TABLES=profile BY leave /STATISTICS=CHISQ PHI /CELLS=COUNT ROW.
TEMPORARY.
SELECT IF NOT MISSING(profile).
LOGISTIC REGRESSION VARIABLES leave /METHOD=ENTER cluster_2 non_technical_job
  /METHOD=ENTER profile /CATEGORICAL=profile /CONTRAST (profile)=Indicator(1) /PRINT=CI(95).
TEMPORARY.
SELECT IF ANY(gender, {woman}, {man}).
COMPUTE woman = (gender = {woman}).
LOGISTIC REGRESSION VARIABLES leave /METHOD=ENTER cluster_2 non_technical_job woman /PRINT=CI(95).
""",
        "gender-stigma": head
        + f"""\
SELECT IF (ANY(gender, {woman}, {man}) AND NOT MISSING(sector_objective)).
COMPUTE woman = (gender = {woman}).
COMPUTE technical_sector = (sector_objective = {tech_s}).
COMPUTE woman_x_technical = woman * technical_sector.
COMPUTE woman_x_ratio = woman * gender_ratio.
REGRESSION /STATISTICS COEFF CI(95) R ANOVA /DEPENDENT gender_stigma
  /METHOD=ENTER woman technical_sector gender_ratio woman_x_technical woman_x_ratio.
MEANS TABLES=gender_stigma BY sector_objective BY gender.
COMPUTE stigma_x_woman = gender_stigma * woman.
REGRESSION /STATISTICS COEFF CI(95) R ANOVA /DEPENDENT career_clarity
  /METHOD=ENTER gender_stigma woman stigma_x_woman age contract_hours.
""",
    }


def syntax(key: str, language: str) -> str:
    """A script reproducing analysis ``key`` on the exported dataset; ``language`` is
    ``"r"`` or ``"spss"``. KeyError for an unknown analysis, ValueError for a language."""
    if language == "r":
        return _R[key]
    if language == "spss":
        return _spss()[key]
    raise ValueError(f"language must be 'r' or 'spss', got {language!r}")
