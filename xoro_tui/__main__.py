from xoro_tui.cli import main

raise SystemExit(main())
