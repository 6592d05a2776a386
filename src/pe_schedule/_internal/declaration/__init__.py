"""Reading declaration and roster files into the model, and their JSON Schema."""
