from vtdata.cli import main

raise SystemExit(main())
