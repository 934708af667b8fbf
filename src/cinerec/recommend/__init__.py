"""Features, training, artifacts and serving of the movie-to-movie recommender."""
