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
{extra}model_2.add(layers.Dense(len(class_names)))
model_2.compile(
    optimizer=keras.optimizers.Adam(learning_rate=LEARNING_RATE),
    loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    metrics=["accuracy"],
)
"""

WRONG_ANSWERS = {
    "7.1": [
        # copies the number from section 6 instead of reading the matrix
        "def accuracy_from(matrix):\n    return test_accuracy",
        # a count of right answers, not a fraction
        "def accuracy_from(matrix):\n    return np.trace(matrix)",
        # only the first class's right answers
        "def accuracy_from(matrix):\n    return matrix[0, 0] / matrix.sum()",
    ],
    "7.2": [
        # precision: divides by the column (predicted) instead of the row (true)
        "def recall_per_class(matrix, class_names):\n"
        "    return {name: matrix[i, i] / max(matrix[:, i].sum(), 1)"
        " for i, name in enumerate(class_names)}",
        # divides by all images instead of the class's own
        "def recall_per_class(matrix, class_names):\n"
        "    return {name: matrix[i, i] / matrix.sum() for i, name in enumerate(class_names)}",
        # the overall accuracy for every class
        "def recall_per_class(matrix, class_names):\n"
        "    return {name: test_accuracy for name in class_names}",
    ],
    "7.3": [
        # the example: any two numbers in [0, 1]
        "mismatched_accuracy, matched_accuracy = 0.5, 0.5",
        # both from one pass: the trap was never shown
        "labels_one, predictions_one, _ = models.predict_in_one_pass(model, train_ds)\n"
        "matched_accuracy = float((labels_one == predictions_one).mean())\n"
        "mismatched_accuracy = matched_accuracy",
        # two passes over the unshuffled test set: the order agrees, so no trap
        "scores = model.predict(test_ds, verbose=0)\n"
        "second = np.concatenate([np.asarray(y) for _, y in test_ds])\n"
        "mismatched_accuracy = float((scores.argmax(axis=1) == second).mean())\n"
        "labels_one, predictions_one, _ = models.predict_in_one_pass(model, train_ds)\n"
        "matched_accuracy = float((labels_one == predictions_one).mean())",
        # the test set's one-pass accuracy in place of the training set's
        "scores = model.predict(train_ds, verbose=0)\n"
        "second = np.concatenate([np.asarray(y) for _, y in train_ds])\n"
        "mismatched_accuracy = float((scores.argmax(axis=1) == second).mean())\n"
        "matched_accuracy = test_accuracy + 0.2",
    ],
    "7.4": [
        # nothing new: the first model and its history
        "model_2, history_2 = model, history",
        # the very same network, trained again: no change was made
        _NETWORK.format(extra="")
        + "history_2 = model_2.fit(train_ds, validation_data=val_ds, epochs=1, verbose=0)",
        # changed, but never trained: the history is the first model's
        _NETWORK.format(extra="model_2.add(layers.Dropout(0.3))\n") + "history_2 = history",
    ],
}
