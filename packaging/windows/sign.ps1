# Code-signing hook for the Windows executables, run by packaging/deploy.cmake after windeployqt
# and before CPack builds the ZIP and the installer:  sign.ps1 <install folder>
#
# Empty on purpose: this project has no code-signing certificate. Unsigned, SmartScreen warns
# on first start ("More info" > "Run anyway"). To sign, a release pipeline with a certificate
# puts here, for mediatriage.exe, mediatriage-cli.exe and the installer CPack makes:
#   signtool sign /fd SHA256 /tr http://timestamp.digicert.com /td SHA256 /a <file>
param([Parameter(Mandatory = $true)][string]$InstallDir)
Write-Host "sign.ps1: no certificate configured; executables in $InstallDir stay unsigned"
