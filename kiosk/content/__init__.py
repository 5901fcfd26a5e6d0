"""Content: the model, the authoring-source loader, rendering and the local store."""
