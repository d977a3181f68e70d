"""Drawing pieces every scene shares: theme, the base scene, widgets and the layout check."""
