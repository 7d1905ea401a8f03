"""Wrong answers for notebook 07 (see README.md in this folder)."""

_NETWORK = """
model_2 = keras.Sequential(name="small_cnn_2")
model_2.add(keras.Input((IMAGE_SIZE, IMAGE_SIZE, 3)))
for layer in augmentation:
    model_2.add(layer)
model_2.add(layers.Conv2D(16, 3, padding="same", activation="relu"))
model_2.add(layers.MaxPooling2D())
model_2.add(layers.Conv2D(32, 3, padding="same", activation="relu"))
model_2.add(layers.MaxPooling2D())
model_2.add(layers.Conv2D(48, 3, padding="same", activation="relu"))
model_2.add(layers.MaxPooling2D())
model_2.add(layers.GlobalAveragePooling2D())
{extra}model_2.add(layers.Dense({units}))
model_2.compile(
    optimizer=keras.optimizers.Adam(learning_rate=LEARNING_RATE),
    loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    metrics=["accuracy"],
)
"""

_MISMATCHED = (
    "def mismatched_accuracy(model, dataset):\n"
    "    scores = model.predict(dataset, verbose=0)\n"
    "    labels = {labels}\n"
    "    return float((scores.argmax(axis=1) == labels).mean())\n"
    "\n"
    "\n"
)
_SECOND_PASS = "np.concatenate([np.asarray(y) for _, y in dataset])"
_MATCHED = (
    "def matched_accuracy(model, dataset):\n"
    "    labels, predictions, _ = models.predict_in_one_pass(model, dataset)\n"
    "    return float((labels == predictions).mean())"
)
_FIT = "history_2 = model_2.fit(train_ds, validation_data=val_ds, epochs=3, verbose=0)"
_RECALL = "def recall_per_class(matrix, class_names):\n    return {body}"

WRONG_ANSWERS = {
    "7.1": [
        # softmax on the last layer while the loss expects raw scores (from_logits=True)
        _NETWORK.format(extra="", units='len(class_names), activation="softmax"') + _FIT,
        # one epoch where the exercise asks for three
        _NETWORK.format(extra="model_2.add(layers.Dropout(0.3))\n", units="len(class_names)")
        + "history_2 = model_2.fit(train_ds, validation_data=val_ds, epochs=1, verbose=0)",
        # nothing new: the first model and its history
        "model_2, history_2 = model, history",
        # the very same network, trained again: no change was made
        _NETWORK.format(extra="", units="len(class_names)") + _FIT,
        # changed, but never trained: the history is the first model's
        _NETWORK.format(extra="model_2.add(layers.Dropout(0.3))\n", units="len(class_names)")
        + "history_2 = history",
        # the first model's layers reused: training model_2 would change model too
        "model_2 = keras.Sequential(model.layers[:-1] + [layers.Dropout(0.3), model.layers[-1]])\n"
        "history_2 = history",
        # one output instead of one score per class
        _NETWORK.format(extra="", units="1") + "history_2 = history",
        # validated on the test images: the test set is no longer untouched
        _NETWORK.format(extra="model_2.add(layers.Dropout(0.3))\n", units="len(class_names)")
        + "history_2 = model_2.fit(train_ds, validation_data=test_ds, epochs=3, verbose=0)",
        # trained without validation data: no validation accuracy to compare
        _NETWORK.format(extra="model_2.add(layers.Dropout(0.3))\n", units="len(class_names)")
        + "history_2 = model_2.fit(train_ds, epochs=1, verbose=0)",
    ],
    "7.2": [
        # the example: numbers typed in, nothing measured
        "def mismatched_accuracy(model, dataset):\n"
        "    return 0.5\n"
        "\n"
        "\n"
        "def matched_accuracy(model, dataset):\n"
        "    return 0.9",
        # both from one pass: the trap was never shown
        "def mismatched_accuracy(model, dataset):\n"
        "    return matched_accuracy(model, dataset)\n"
        "\n"
        "\n" + _MATCHED,
        # the labels shuffled by hand: chance level even where two passes agree
        _MISMATCHED.format(labels="np.random.default_rng(0).permutation(" + _SECOND_PASS + ")")
        + _MATCHED,
        # both from two passes: the "matched" one is mismatched too
        _MISMATCHED.format(labels=_SECOND_PASS) + "def matched_accuracy(model, dataset):\n"
        "    return mismatched_accuracy(model, dataset)",
        # the first model's test accuracy, whatever model and dataset
        _MISMATCHED.format(labels=_SECOND_PASS) + "def matched_accuracy(model, dataset):\n"
        "    return test_accuracy",
        # compares the scores, not the predicted class index, with the labels
        "def mismatched_accuracy(model, dataset):\n"
        "    scores = model.predict(dataset, verbose=0)\n"
        "    labels = " + _SECOND_PASS + "\n"
        "    return float((scores.max(axis=1) == labels).mean())\n"
        "\n"
        "\n" + _MATCHED,
    ],
    "7.3": [
        # prints the accuracy instead of returning it
        "def accuracy_from(matrix):\n    print(np.trace(matrix) / matrix.sum())",
        # copies the number from section 6 instead of reading the matrix
        "def accuracy_from(matrix):\n    return test_accuracy",
        # a count of right answers, not a fraction
        "def accuracy_from(matrix):\n    return np.trace(matrix)",
        # only the first class's right answers
        "def accuracy_from(matrix):\n    return matrix[0, 0] / matrix.sum()",
        # two classes hard-coded
        "def accuracy_from(matrix):\n    return (matrix[0, 0] + matrix[1, 1]) / matrix.sum()",
        # the mean of the recalls: each class counts the same, whatever its size
        "def accuracy_from(matrix):\n    return np.mean(np.diag(matrix) / matrix.sum(axis=1))",
        # divided by the number of classes, not of predictions
        "def accuracy_from(matrix):\n    return np.trace(matrix) / len(matrix)",
    ],
    "7.4": [
        # precision: divides by the column (predicted) instead of the row (true)
        _RECALL.format(
            body="{name: matrix[i, i] / max(matrix[:, i].sum(), 1) "
            "for i, name in enumerate(class_names)}"
        ),
        # divides by all images instead of the class's own
        _RECALL.format(
            body="{name: matrix[i, i] / matrix.sum() for i, name in enumerate(class_names)}"
        ),
        # the overall accuracy for every class
        _RECALL.format(body="{name: test_accuracy for name in class_names}"),
        # two classes hard-coded
        _RECALL.format(
            body="{class_names[0]: matrix[0, 0] / matrix[0].sum(), "
            "class_names[1]: matrix[1, 1] / matrix[1].sum()}"
        ),
        # a class without images: 0 / 0 gives nan, not 0.0
        _RECALL.format(
            body="{name: matrix[i, i] / matrix[i].sum() for i, name in enumerate(class_names)}"
        ),
        # keyed by class index, not by name
        _RECALL.format(
            body="{i: matrix[i, i] / max(matrix[i].sum(), 1) for i in range(len(class_names))}"
        ),
        # names in alphabetical order, matched to rows in label order
        _RECALL.format(
            body="{name: matrix[i, i] / max(matrix[i].sum(), 1) "
            "for i, name in enumerate(sorted(class_names))}"
        ),
    ],
}
