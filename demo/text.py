"""A small bank of data-science questions, answers and comments for the generated demo
content: templated titles and Markdown bodies (code blocks, lists, the occasional
``$x^2$``), filled from word lists with a seeded ``random.Random`` so runs repeat.

Placeholders are ``{key}`` for the keys of ``FILL``; any other braces (code, LaTeX) are
left alone.
"""

import random
import re
from dataclasses import dataclass

# Tags in popularity order (rank 1 first: the generator draws them Zipf-like), with the
# excerpt shown on tag pages.
TAGS: tuple[tuple[str, str], ...] = (
    ("machine-learning", "How computers learn from data to make predictions or decisions."),
    ("python", "Questions about the Python language as used for data analysis and modelling."),
    ("deep-learning", "Neural networks with many layers and the ways to train them."),
    ("neural-network", "Networks of connected units (neurons) that learn by backpropagation."),
    ("classification", "Predicting a discrete label (class) for each observation."),
    ("statistics", "Collecting, summarising and drawing conclusions from data."),
    ("pandas", "The pandas library: DataFrame and Series manipulation in Python."),
    ("scikit-learn", "The scikit-learn Python library: models, pipelines and metrics."),
    ("nlp", "Natural language processing: working with human-language text."),
    ("time-series", "Data points indexed by time: forecasting, seasonality, trends."),
    ("regression", "Predicting a continuous target from explanatory variables."),
    ("keras", "The Keras high-level neural network API."),
    ("tensorflow", "Google's library for numerical computation and deep learning."),
    ("clustering", "Grouping observations without labels: k-means, DBSCAN, hierarchical."),
    ("data-cleaning", "Fixing missing, wrong or inconsistent values before analysis."),
    ("feature-selection", "Choosing the subset of input variables a model should use."),
    ("career", "Jobs, skills and education in data science. Check the on-topic page first."),
    ("terminology", "What a data-science term means and how it differs from another."),
    ("r", "The R language and environment for statistical computing."),
    ("visualization", "Plots and charts that explore data or communicate results."),
    ("pytorch", "The PyTorch deep learning framework."),
    ("cross-validation", "Estimating how well a model generalises by resampling the data."),
    ("feature-engineering", "Creating and transforming input variables to help a model."),
    ("xgboost", "The XGBoost gradient boosting library."),
    ("lstm", "Long short-term memory networks for sequences."),
    ("cnn", "Convolutional neural networks, mostly for images."),
    ("linear-regression", "Fitting a linear relationship between features and a target."),
    ("dataset", "Finding, building or describing data sets."),
)

FILL: dict[str, tuple[str, ...]] = {
    "model": (
        "a random forest",
        "a logistic regression",
        "a gradient boosting model",
        "an XGBoost classifier",
        "an LSTM",
        "a 1D CNN",
        "an SVM",
        "a linear regression",
        "a fine-tuned BERT model",
        "a naive Bayes classifier",
        "a decision tree",
        "an autoencoder",
        "a k-nearest neighbours model",
        "a LightGBM model",
    ),
    "task": (
        "binary classification",
        "multi-class classification",
        "churn prediction",
        "sentiment analysis",
        "demand forecasting",
        "anomaly detection",
        "image classification",
        "customer segmentation",
        "fraud detection",
        "house price prediction",
        "click-through rate prediction",
        "topic modelling",
    ),
    "metric": (
        "accuracy",
        "F1 score",
        "ROC AUC",
        "precision",
        "recall",
        "RMSE",
        "MAE",
        "log loss",
    ),
    "score": ("accuracy", "F1 score", "precision", "recall", "balanced accuracy"),
    "data": (
        "an imbalanced dataset (about 3% positives)",
        "120k rows of customer transactions",
        "hourly sensor readings",
        "50k product reviews",
        "daily sales of 300 stores",
        "a small medical dataset with 400 patients",
        "web click logs",
        "a survey with 80 questions",
        "satellite images of fields",
        "tabular data with 200 features",
    ),
    "feature": (
        "an age column",
        "a categorical column with 3,000 levels",
        "a timestamp column",
        "a zip code column",
        "a free-text description column",
        "a price column",
        "a user id column",
        "a column of country names",
    ),
    "lib": (
        "scikit-learn",
        "pandas",
        "Keras",
        "PyTorch",
        "TensorFlow",
        "XGBoost",
        "statsmodels",
        "NumPy",
        "LightGBM",
    ),
    "lang": ("R", "Scala", "Julia", "SQL", "C++", "Java"),
    "plotlib": ("matplotlib", "seaborn", "plotly", "ggplot2", "Altair"),
    "count": ("5", "12", "30", "64", "150", "500", "2,000", "10,000"),
    "pct": ("62", "68", "71", "74", "55", "80"),
    "pvalue": ("0.049", "0.03", "0.06", "0.001", "0.08"),
    "target": ("monthly sales", "electricity demand", "website traffic", "call volumes"),
    "termpair": (
        "a parameter and a hyperparameter",
        "bagging and boosting",
        "a validation set and a test set",
        "precision and recall",
        "machine learning and statistical learning",
        "an epoch and an iteration",
        "normalisation and standardisation",
        "data mining and data science",
        "a feature and a variable",
        "AI and machine learning",
        "supervised and semi-supervised learning",
        "a model and an algorithm",
    ),
    "attempt": (
        "scaling the features with StandardScaler",
        "adding dropout",
        "lowering the learning rate",
        "a grid search over the main hyperparameters",
        "oversampling with SMOTE",
        "dropping the rows with missing values",
        "using class weights",
        "a smaller batch size",
        "early stopping",
        "one-hot encoding every categorical column",
        "removing highly correlated features",
        "log-transforming the target",
    ),
    "problem": (
        "the results barely change",
        "the validation score gets worse",
        "training now takes hours",
        "the model predicts the majority class for everything",
        "I get an error I don't understand",
        "the loss becomes NaN after a few epochs",
        "the predictions look shifted by one step",
    ),
    "fix": (
        "fit the scaler on the training set only",
        "shuffle before splitting",
        "set the random seed everywhere",
        "reset the index after filtering",
        "convert the column to a categorical dtype",
        "call model.eval() before predicting",
    ),
    "role": ("data analyst", "software developer", "physicist", "economist", "biologist"),
}

_PLACEHOLDER = re.compile(r"\{([a-z]+)\}")


@dataclass(frozen=True)
class Template:
    text: str
    tags: tuple[str, ...]


TITLES: tuple[Template, ...] = tuple(
    Template(text, tuple(tags.split()))
    for text, tags in (
        ("How do I handle missing values in {feature} before training {model}?",
         "data-cleaning pandas machine-learning"),
        ("Why does my model reach 99% {score} on training data but {pct}% on the test set?",
         "machine-learning cross-validation classification"),
        ("Should I scale the features before fitting {model}?",
         "feature-engineering scikit-learn machine-learning"),
        ("What is the difference between {termpair}?", "terminology machine-learning statistics"),
        ("Which metric should I report for {task} on {data}?",
         "classification machine-learning statistics"),
        ("How to choose the number of clusters for k-means on {data}?",
         "clustering scikit-learn"),
        ("{lib} raises a ValueError when I call fit() on {data}", "python scikit-learn pandas"),
        ("Is it worth learning {lang} for a career in data science?", "career r"),
        ("How can I plot the distribution of {feature} with {plotlib}?",
         "visualization python r"),
        ("LSTM predictions lag one step behind the actual values of my time series",
         "lstm time-series deep-learning keras"),
        ("How should I encode {feature} for {model}?",
         "feature-engineering data-cleaning machine-learning"),
        ("Validation loss increases while training loss keeps decreasing",
         "keras deep-learning neural-network tensorflow"),
        ("How many hidden layers and neurons should my neural network have?",
         "neural-network deep-learning"),
        ("Feature importance from {model} disagrees with a simple correlation analysis",
         "feature-selection machine-learning xgboost"),
        ("How to cross-validate a time-series model without leaking the future?",
         "time-series cross-validation"),
        ("Interpreting logistic regression coefficients after standardising the inputs",
         "regression statistics classification"),
        ("How to remove stop words and lemmatize text before {task}?", "nlp python"),
        ("Is a p-value of {pvalue} enough to say my A/B test worked?", "statistics"),
        ("Why does lm() in R return NA for some coefficients?", "r regression linear-regression"),
        ("How to select the best {count} features for {task}?",
         "feature-selection scikit-learn machine-learning"),
        ("Grouping a pandas DataFrame by week and computing a rolling mean",
         "pandas time-series python"),
        ("Transfer learning with a pretrained CNN on only {count} images per class",
         "cnn deep-learning keras pytorch"),
        ("How do data engineers and data scientists split the work in a small team?",
         "career terminology"),
        ("What does 'epoch' mean compared to 'batch' and 'iteration'?",
         "terminology neural-network deep-learning"),
        ("TensorFlow gives different results on every run even though I set the seed",
         "tensorflow keras deep-learning"),
        ("How to deal with {data} for {task}?", "classification machine-learning dataset"),
        ("DBSCAN puts almost all of my points into a single cluster", "clustering scikit-learn"),
        ("Best way to visualise a confusion matrix with {count} classes?",
         "visualization classification"),
        ("Gradient boosting or random forest for a small tabular dataset?",
         "xgboost classification machine-learning"),
        ("How to detect outliers in {data} before modelling?", "data-cleaning statistics"),
        ("Word embeddings or TF-IDF for classifying short texts?", "nlp classification"),
        ("Why is the R² of my linear regression negative on the test set?",
         "linear-regression regression statistics"),
        ("How should I split {data} into train, validation and test sets?",
         "cross-validation dataset machine-learning"),
        ("Does a PyTorch model need model.eval() during inference?", "pytorch deep-learning"),
        ("How to forecast {target} with weekly and yearly seasonality?",
         "time-series statistics regression"),
        ("Can I compare models by {metric} on an imbalanced dataset?",
         "classification machine-learning"),
        ("How to merge two DataFrames on the nearest timestamp in pandas?", "pandas python"),
        ("What is data leakage and how do I find it in my pipeline?",
         "machine-learning terminology cross-validation"),
        ("Do I need a master's degree to get a first data science job as a {role}?", "career"),
        ("How to interpret SHAP values for {model}?",
         "machine-learning feature-selection xgboost"),
        ("Where can I find a public dataset for {task}?", "dataset machine-learning"),
        ("My regression network always predicts the same value. What am I doing wrong?",
         "neural-network regression deep-learning"),
        ("Early stopping in XGBoost: which validation set should I use?",
         "xgboost cross-validation"),
        ("How to vectorise a slow pandas apply() over 10 million rows?", "pandas python"),
        ("Choosing the sequence length for an LSTM on {data}", "lstm time-series"),
    )
)  # fmt: skip

INTROS = (
    "I'm working on {task} with {data}, and I train {model} on it.",
    "I'm a {role} moving into data science, and for a side project I'm doing {task}.",
    "At work we use {model} for {task}; the data is {data}.",
    "I'm new to machine learning and I'm trying to build {model} for {task}.",
    "For my thesis I have {data} and I need a model for {task}.",
    "I'm following a course and got stuck on an exercise about {task}.",
)

DETAILS = (
    "So far I tried {attempt} and {attempt}, but {problem}.",
    "I tried {attempt}, but {problem}. My best {metric} is around 0.{pct}.",
    "The dataset also contains {feature}, which I'm not sure how to treat.",
    "Everything runs, but {problem}, and I don't understand why.",
    "I read that {attempt} should help, but {problem}.",
)

ENDINGS = (
    "What am I doing wrong?",
    "Is there a standard way to do this?",
    "Any pointers would be appreciated.",
    "Which approach would you recommend, and why?",
    "How do people usually handle this in practice?",
    "Is my reasoning correct, or am I missing something obvious?",
)

TRIED_LISTS = (
    "What I have tried so far:\n\n- {attempt}\n- {attempt}\n- {attempt}",
    "Things I checked:\n\n1. the shapes of `X_train` and `y_train` match\n2. there are no NaNs "
    "left after cleaning\n3. {attempt}",
)

MATH = (
    "My loss is the mean squared error $\\frac{1}{N}\\sum_{i=1}^{N} (y_i - \\hat{y}_i)^2$.",
    "I also added squared terms, i.e. $x^2$ for every numeric feature.",
    "With L2 regularisation the objective becomes\n\n"
    "$$J(w) = \\sum_i (y_i - w^T x_i)^2 + \\lambda \\lVert w \\rVert^2$$",
    "The model outputs $\\hat{y} = \\sigma(w^T x + b)$ and I threshold it at $0.5$.",
    "I compute the F1 score as $$F_1 = \\frac{2 P R}{P + R}$$",
    "The variance of my target is about $\\sigma^2 = 4.2$, so an RMSE of 2 seems poor.",
)

CODE: dict[str, tuple[str, ...]] = {
    "pandas": (
        '```python\nimport pandas as pd\n\ndf = pd.read_csv("data.csv", parse_dates=["date"])'
        '\nprint(df.isna().sum())\ndf["price"] = df["price"].fillna(df["price"].median())\n```',
        '```python\nweekly = (\n    df.set_index("date")\n      .groupby("store")["sales"]\n'
        '      .resample("W")\n      .sum()\n      .rolling(4)\n      .mean()\n)\n```',
    ),
    "scikit-learn": (
        "```python\nfrom sklearn.ensemble import RandomForestClassifier\n"
        "from sklearn.model_selection import train_test_split\n\n"
        "X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, "
        "random_state=42)\nclf = RandomForestClassifier(n_estimators=300)\n"
        "clf.fit(X_train, y_train)\nprint(clf.score(X_test, y_test))\n```",
        "```python\nfrom sklearn.pipeline import make_pipeline\n"
        "from sklearn.preprocessing import StandardScaler\n"
        "from sklearn.linear_model import LogisticRegression\n\n"
        "pipe = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))\n"
        'scores = cross_val_score(pipe, X, y, cv=5, scoring="f1")\n```',
    ),
    "keras": (
        "```python\nmodel = keras.Sequential([\n"
        '    keras.layers.Dense(64, activation="relu", input_shape=(n_features,)),\n'
        "    keras.layers.Dropout(0.3),\n"
        '    keras.layers.Dense(1, activation="sigmoid"),\n])\n'
        'model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])\n'
        "history = model.fit(X_train, y_train, epochs=50, validation_split=0.2)\n```",
    ),
    "lstm": (
        "```python\nmodel = keras.Sequential([\n"
        "    keras.layers.LSTM(50, input_shape=(timesteps, 1)),\n"
        "    keras.layers.Dense(1),\n])\n"
        'model.compile(optimizer="adam", loss="mse")\n```',
    ),
    "pytorch": (
        "```python\nmodel.train()\nfor xb, yb in loader:\n    optimizer.zero_grad()\n"
        "    loss = criterion(model(xb), yb)\n    loss.backward()\n    optimizer.step()\n```",
    ),
    "tensorflow": (
        "```python\nimport tensorflow as tf\n\ntf.random.set_seed(0)\n"
        "dataset = tf.data.Dataset.from_tensor_slices((X, y)).shuffle(1000).batch(32)\n```",
    ),
    "xgboost": (
        "```python\nimport xgboost as xgb\n\nmodel = xgb.XGBClassifier(n_estimators=500, "
        "learning_rate=0.05, max_depth=6)\nmodel.fit(X_train, y_train, "
        "eval_set=[(X_valid, y_valid)], verbose=False)\n```",
    ),
    "r": (
        "```r\nfit <- lm(price ~ area + rooms + district, data = houses)\nsummary(fit)\n```",
        "```r\nlibrary(ggplot2)\nggplot(df, aes(x = age)) + geom_histogram(bins = 30)\n```",
    ),
    "clustering": (
        "```python\nfrom sklearn.cluster import KMeans\n\ninertia = [KMeans(n_clusters=k, "
        "n_init=10).fit(X).inertia_ for k in range(2, 11)]\n```",
    ),
    "visualization": (
        "```python\nimport matplotlib.pyplot as plt\n\nfig, ax = plt.subplots(figsize=(8, 4))"
        '\nax.hist(df["age"], bins=30)\nplt.show()\n```',
    ),
    "nlp": (
        "```python\nfrom sklearn.feature_extraction.text import TfidfVectorizer\n\n"
        'vectorizer = TfidfVectorizer(stop_words="english", ngram_range=(1, 2))\n'
        "X = vectorizer.fit_transform(texts)\n```",
    ),
    "python": (
        "```\nValueError: Input contains NaN, infinity or a value too large for "
        "dtype('float64').\n```",
        '```python\nfor col in categorical:\n    df[col] = df[col].astype("category")\n```',
    ),
}

ANSWER_OPENINGS = (
    "The short answer is that it depends on your data, but here is how I would approach it.",
    "You are most likely overfitting.",
    "This is a very common problem, and there are a few standard fixes.",
    "I had exactly the same issue with {lib} last year.",
    "Good question; the two terms are often used interchangeably, but they are not the same.",
    "Before changing the model, check the data.",
)

ANSWER_POINTS = (
    "Fit every preprocessing step (scaling, imputation, encoding) on the training set only "
    "and apply it to the validation and test sets; otherwise information leaks from the test "
    "set into training and your scores are too optimistic.",
    "With an imbalanced target, accuracy is misleading: a model that always predicts the "
    "majority class already scores high. Look at precision, recall and the precision-recall "
    "curve instead, and try class weights before resampling.",
    "For time series, never shuffle: use an expanding-window split such as "
    "`TimeSeriesSplit` so each fold only trains on the past.",
    "Start with a simple baseline (a linear model or even the mean) so you know what a good "
    "{metric} looks like for this problem.",
    "Plot the learning curves: if the training score keeps improving while the validation "
    "score gets worse, add regularisation or stop earlier.",
    "High-cardinality categorical features work better with target encoding (done inside "
    "the cross-validation folds) or with a model that handles categories natively.",
    "Tree-based models do not need scaled features, but distance-based models (k-NN, SVM, "
    "k-means) and gradient-descent training very much do.",
    "The number of clusters is a modelling choice: compare the elbow of the inertia curve "
    "with silhouette scores, and check whether the clusters mean something to the business.",
    "Set the seeds of Python, NumPy and the framework, and disable non-deterministic GPU "
    "kernels, or results will differ slightly from run to run.",
    "{attempt} often helps, but only after you have made sure the labels are correct.",
    "In practice the job titles overlap a lot; what matters is whether the role is closer "
    "to building production systems or to analysing data and communicating results.",
)

ANSWER_CLOSINGS = (
    "Hope this helps.",
    "",
    "If you share a sample of your data I can be more specific.",
    "See the {lib} documentation for the details.",
    "",
)

COMMENTS = (
    "Can you share a small sample of your data? It is hard to tell without seeing it.",
    "Have you tried {attempt}? It made a big difference in a similar problem of mine.",
    "Which version of {lib} are you using? The behaviour changed between releases.",
    "Thanks, that worked! I had forgotten to {fix}.",
    "Please add the full traceback to the question so people can help.",
    "How many samples do you have per class?",
    "This is more of a statistics question; you may get better answers on Cross Validated.",
    "Great answer. One small addition: remember to {fix}, or the comparison is unfair.",
    "What {metric} does a trivial baseline get on the same split?",
    "I'd be careful with this advice for time series, since shuffling leaks the future.",
    "Could you explain why this works? I don't see why the {metric} should improve.",
    "+1, this is the clearest explanation of {termpair} I have read.",
    "Did you {fix}? That is the most common cause of this error.",
    "Welcome to the site! You can format code by indenting it with four spaces.",
)


def fill(text: str, rng: random.Random) -> str:
    """Replace each ``{key}`` of ``FILL`` with a random choice (a new one at every place)."""

    def pick(match: re.Match) -> str:
        key = match.group(1)
        return rng.choice(FILL[key]) if key in FILL else match.group(0)

    text = _PLACEHOLDER.sub(pick, text)
    return text[0].upper() + text[1:] if text else text


def _code_for(tags: list[str], rng: random.Random) -> str | None:
    keys = [tag for tag in tags if tag in CODE]
    if not keys:
        return None
    return rng.choice(CODE[rng.choice(keys)])


def question_title(tags: list[str], rng: random.Random) -> str:
    candidates = [t for t in TITLES if set(t.tags) & set(tags)] or list(TITLES)
    title = fill(rng.choice(candidates).text, rng)
    return title[:150]


def question_body(tags: list[str], rng: random.Random) -> str:
    parts = [fill(rng.choice(INTROS), rng), fill(rng.choice(DETAILS), rng)]
    code = _code_for(tags, rng)
    if code and rng.random() < 0.7:
        parts.append(rng.choice(("Here is the relevant part of my code:", "My code:")))
        parts.append(code)
    if rng.random() < 0.25:
        parts.append(fill(rng.choice(TRIED_LISTS), rng))
    if rng.random() < 0.2:
        parts.append(rng.choice(MATH))
    parts.append(rng.choice(ENDINGS))
    return "\n\n".join(parts)


def answer_body(tags: list[str], rng: random.Random) -> str:
    parts = [fill(rng.choice(ANSWER_OPENINGS), rng)]
    points = rng.sample(ANSWER_POINTS, rng.randint(1, 3))
    if len(points) > 1 and rng.random() < 0.5:
        parts.append("\n".join(f"- {fill(point, rng)}" for point in points))
    else:
        parts += [fill(point, rng) for point in points]
    code = _code_for(tags, rng)
    if code and rng.random() < 0.4:
        parts.append("For example:")
        parts.append(code)
    if rng.random() < 0.1:
        parts.append(rng.choice(MATH))
    closing = fill(rng.choice(ANSWER_CLOSINGS), rng)
    if closing:
        parts.append(closing)
    return "\n\n".join(parts)


def comment_body(rng: random.Random) -> str:
    return fill(rng.choice(COMMENTS), rng)[:600]
