"""Language analysis of text: the same code turns stored text (when the content store indexes
it) and typed queries (when search answers them) into index terms. A leaf under both."""
