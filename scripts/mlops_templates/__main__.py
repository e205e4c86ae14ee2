"""`python -m mlops_templates` is the same as the `mlops-templates` command."""

from mlops_templates.cli import main

raise SystemExit(main())
