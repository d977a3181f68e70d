"""What the tests share: the tiny quality, a fake executor, the export demo scene and its kit."""
