"""The course as data, the bottom layer: content loading and checks, the answers store and its
atomic writes, the exercise-type registry and scoring, the language audit, the learner's
workspace. Nothing here knows a screen, a server or nbgrader; everything else stands on it."""
