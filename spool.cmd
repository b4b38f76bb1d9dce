@echo off
rem Spool launcher for Windows: finds a JDK 21 or newer, builds the jar on first use or when a
rem source changed, runs it. The same commands as ./spool on Linux, e.g.
rem   spool.cmd worker --coordinator https://coordinator:8443 --token spool_j_... --tls-ca ca.pem
rem The bundled ffmpeg is the windows-x86_64 build of the version every other platform runs.
setlocal EnableExtensions
set "ROOT=%~dp0"
set "ROOT=%ROOT:~0,-1%"
set "JAR=%ROOT%\spool-cli\target\spool.jar"
set "JAVA=java"
if defined JAVA_HOME set "JAVA=%JAVA_HOME%\bin\java.exe"

rem a JDK 21 or newer: its "version" line names the major version first
"%JAVA%" -version 2>&1 | findstr /r /c:"version \"2[1-9]" /c:"version \"[3-9][0-9]" >nul
if errorlevel 1 (
  echo spool: no JDK 21 or newer found ^(looked at JAVA_HOME and PATH^). Install one, e.g. winget install EclipseAdoptium.Temurin.21.JDK, and set JAVA_HOME to it 1>&2
  exit /b 5
)

rem rebuild when the jar is missing or a pom or source file is newer than it
powershell -NoProfile -Command "$j = Get-Item -LiteralPath '%JAR%' -ErrorAction SilentlyContinue; if (-not $j) { exit 1 }; $newer = Get-ChildItem -LiteralPath '%ROOT%' -Recurse -File -ErrorAction SilentlyContinue | Where-Object { ($_.Name -eq 'pom.xml' -or $_.FullName -match '\\src\\main\\') -and $_.FullName -notmatch '\\target\\' -and $_.LastWriteTime -gt $j.LastWriteTime } | Select-Object -First 1; if ($newer) { exit 1 } else { exit 0 }"
if errorlevel 1 (
  where mvn >nul 2>&1
  if errorlevel 1 (
    echo spool: Maven is needed to build Spool and was not found. Install it, e.g. winget install Apache.Maven 1>&2
    exit /b 5
  )
  echo spool: building ^(first run or sources changed^)... 1>&2
  call mvn -q -B -f "%ROOT%\pom.xml" -Dmaven.test.skip=true package > "%ROOT%\.spool-build.log" 2>&1
  if errorlevel 1 (
    type "%ROOT%\.spool-build.log" 1>&2
    echo spool: build failed; the full log is in %ROOT%\.spool-build.log 1>&2
    exit /b 5
  )
)

"%JAVA%" -XX:+UseSerialGC -XX:TieredStopAtLevel=1 --enable-native-access=ALL-UNNAMED -jar "%JAR%" %*
exit /b %ERRORLEVEL%
