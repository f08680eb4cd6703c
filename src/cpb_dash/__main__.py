from cpb_dash.cli import main

raise SystemExit(main())
