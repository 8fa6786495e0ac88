; 维权岗 Windows 安装程序（NSIS 3，Unicode，简体中文界面）
;
;   makensis /DVERSION=0.1.0 /DSOURCE_DIR=..\dist\wqg-desktop /DOUT_FILE=..\dist\wqg-desktop-0.1.0-setup.exe wqg-desktop.nsi
;
; SOURCE_DIR is the PyInstaller onedir folder (wqg-desktop.exe, wqg.exe, _internal\).
; Installs for all users under Program Files. The officers' data is NOT here: it lives in each
; user's %LOCALAPPDATA%\wqg-desktop (database, backups\, logs\), which this installer and its
; uninstaller never touch. Installing a newer version over an older one replaces the program
; files only; the new program, on its first start, backs the database up to backups\ and then
; migrates it (wqg_desktop/db/migrations). An older version is not installed over a newer one
; without a warning: an old program refuses a database written by a newer one.

Unicode true
ManifestDPIAware true
SetCompressor /SOLID lzma

!ifndef VERSION
  !error "请用 /DVERSION=x.y.z 指定版本号（与 pyproject.toml 一致）"
!endif
!ifndef SOURCE_DIR
  !error "请用 /DSOURCE_DIR=路径 指定 PyInstaller 打包结果目录（含 wqg-desktop.exe）"
!endif
!ifndef OUT_FILE
  !define OUT_FILE "wqg-desktop-${VERSION}-setup.exe"
!endif
!ifndef ICON_FILE
  !define ICON_FILE "${__FILEDIR__}\..\..\resources\icons\wqg-desktop.ico"
!endif

!define APP_NAME "维权岗"
!define APP_LONG "青少年维权岗创建活动管理"
!define APP_ID "wqg-desktop"
!define APP_EXE "wqg-desktop.exe"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${APP_ID}"

!include "MUI2.nsh"
!include "LogicLib.nsh"
!include "WordFunc.nsh"
!include "FileFunc.nsh"
!include "x64.nsh"

Name "${APP_NAME}"
Caption "${APP_NAME} ${VERSION} 安装"
OutFile "${OUT_FILE}"
InstallDir "$PROGRAMFILES64\${APP_ID}"
RequestExecutionLevel admin
BrandingText "${APP_NAME} ${VERSION}"

VIProductVersion "${VERSION}.0"
VIAddVersionKey /LANG=2052 "ProductName" "${APP_NAME}"
VIAddVersionKey /LANG=2052 "FileDescription" "${APP_NAME}（${APP_LONG}）安装程序"
VIAddVersionKey /LANG=2052 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=2052 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=2052 "LegalCopyright" "随附字体：霞鹜文楷（SIL OFL 1.1）、文泉驿微米黑（Apache-2.0）"

!define MUI_ICON "${ICON_FILE}"
!define MUI_UNICON "${ICON_FILE}"
!define MUI_ABORTWARNING
!define MUI_WELCOMEPAGE_TEXT "将在本机安装“${APP_NAME}”${VERSION}（${APP_LONG}）。$\r$\n$\r$\n\
程序不需要联网。各用户的数据保存在各自的 %LOCALAPPDATA%\${APP_ID} 文件夹中，\
安装、升级和卸载都不会删除它。$\r$\n$\r$\n\
如果本机已安装旧版本，请先关闭正在运行的维权岗，然后继续：新版本第一次启动时会先自动备份数据库，再升级数据。"
!define MUI_FINISHPAGE_RUN "$INSTDIR\${APP_EXE}"
!define MUI_FINISHPAGE_RUN_TEXT "现在启动维权岗"
!define MUI_UNCONFIRMPAGE_TEXT_TOP "将从本机删除维权岗程序。各用户的数据库、备份和日志（%LOCALAPPDATA%\${APP_ID}）会保留，不会删除。"

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_COMPONENTS
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "SimpChinese"

Var OldVersion

Function .onInit
  ${IfNot} ${RunningX64}
    MessageBox MB_ICONSTOP "维权岗需要 64 位 Windows 10 或 11。"
    Abort
  ${EndIf}
  SetRegView 64
  ReadRegStr $OldVersion HKLM "${UNINSTALL_KEY}" "DisplayVersion"
  ${If} $OldVersion != ""
    ReadRegStr $0 HKLM "${UNINSTALL_KEY}" "InstallLocation"
    ${If} $0 != ""
      StrCpy $INSTDIR $0  ; upgrade in place
    ${EndIf}
    ${VersionCompare} "$OldVersion" "${VERSION}" $1
    ${If} $1 == 1
      ${IfNot} ${Cmd} `MessageBox MB_YESNO|MB_ICONEXCLAMATION|MB_DEFBUTTON2 "本机已安装更新的版本 $OldVersion，而本安装程序是 ${VERSION}。$\r$\n旧版本程序不能打开新版本写入的数据库。确定要换成旧版本吗？" /SD IDNO IDYES`
        Abort
      ${EndIf}
    ${ElseIf} $1 == 2
      ${IfNot} ${Cmd} `MessageBox MB_OKCANCEL|MB_ICONINFORMATION "将把维权岗从 $OldVersion 升级到 ${VERSION}。$\r$\n$\r$\n数据会保留：新版本第一次启动时，先把数据库自动备份到数据文件夹的 backups 中，再升级数据结构。" /SD IDOK IDOK`
        Abort
      ${EndIf}
    ${EndIf}
  ${EndIf}
FunctionEnd

; A running program keeps its files locked: find out before copying anything (a file that can
; be renamed is not in use).
!macro EnsureNotRunning EXE
  ${Do}
    ${IfNot} ${FileExists} "$INSTDIR\${EXE}"
      ${Break}
    ${EndIf}
    ClearErrors
    Rename "$INSTDIR\${EXE}" "$INSTDIR\${EXE}.check"
    ${IfNot} ${Errors}
      Rename "$INSTDIR\${EXE}.check" "$INSTDIR\${EXE}"
      ${Break}
    ${EndIf}
    ${IfNot} ${Cmd} `MessageBox MB_RETRYCANCEL|MB_ICONEXCLAMATION "维权岗（${EXE}）正在运行。请先保存并关闭程序（包括其他用户登录时打开的），然后点“重试”。" /SD IDCANCEL IDRETRY`
      Abort
    ${EndIf}
  ${Loop}
!macroend

Section "维权岗程序（必需）" SecMain
  SectionIn RO
  SetShellVarContext all
  SetRegView 64
  !insertmacro EnsureNotRunning "${APP_EXE}"
  !insertmacro EnsureNotRunning "wqg.exe"
  ; Old program files only: a newer version may have dropped libraries. Never the data.
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\${APP_EXE}"
  Delete "$INSTDIR\wqg.exe"
  SetOutPath "$INSTDIR"
  File /r "${SOURCE_DIR}\*.*"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  CreateDirectory "$SMPROGRAMS\${APP_NAME}"
  CreateShortcut "$SMPROGRAMS\${APP_NAME}\${APP_NAME}.lnk" "$INSTDIR\${APP_EXE}" "" "$INSTDIR\${APP_EXE}" 0 SW_SHOWNORMAL "" "${APP_LONG}"
  CreateShortcut "$SMPROGRAMS\${APP_NAME}\${APP_NAME}（演示数据）.lnk" "$INSTDIR\${APP_EXE}" "--demo" "$INSTDIR\${APP_EXE}" 0 SW_SHOWNORMAL "" "用演示数据库（南通市公安局）打开，练习用，不影响本单位数据"
  CreateShortcut "$SMPROGRAMS\${APP_NAME}\卸载${APP_NAME}.lnk" "$INSTDIR\uninstall.exe"

  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayName" "${APP_NAME}（${APP_LONG}）"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\${APP_EXE},0"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "Publisher" "青少年维权岗创建活动领导小组办公室"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKLM "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKLM "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKLM "${UNINSTALL_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  IntFmt $0 "0x%08X" $0
  WriteRegDWORD HKLM "${UNINSTALL_KEY}" "EstimatedSize" "$0"
SectionEnd

Section "桌面快捷方式" SecDesktop
  SetShellVarContext all
  CreateShortcut "$DESKTOP\${APP_NAME}.lnk" "$INSTDIR\${APP_EXE}" "" "$INSTDIR\${APP_EXE}" 0 SW_SHOWNORMAL "" "${APP_LONG}"
SectionEnd

!insertmacro MUI_FUNCTION_DESCRIPTION_BEGIN
  !insertmacro MUI_DESCRIPTION_TEXT ${SecMain} "维权岗程序、命令行工具 wqg.exe、随附字体及其许可、开始菜单快捷方式。"
  !insertmacro MUI_DESCRIPTION_TEXT ${SecDesktop} "在所有用户的桌面上放一个“维权岗”图标。"
!insertmacro MUI_FUNCTION_DESCRIPTION_END

Section "Uninstall"
  SetShellVarContext all
  SetRegView 64
  ; Only what the installer put here, by name: never a recursive delete of $INSTDIR (it might
  ; have been pointed at a shared folder), and never %LOCALAPPDATA%\wqg-desktop (the data).
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\${APP_EXE}"
  Delete "$INSTDIR\wqg.exe"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  Delete "$SMPROGRAMS\${APP_NAME}\${APP_NAME}.lnk"
  Delete "$SMPROGRAMS\${APP_NAME}\${APP_NAME}（演示数据）.lnk"
  Delete "$SMPROGRAMS\${APP_NAME}\卸载${APP_NAME}.lnk"
  RMDir "$SMPROGRAMS\${APP_NAME}"
  Delete "$DESKTOP\${APP_NAME}.lnk"
  DeleteRegKey HKLM "${UNINSTALL_KEY}"
SectionEnd

Function un.onUninstSuccess
  ${IfNot} ${Silent}
    MessageBox MB_ICONINFORMATION "维权岗已卸载。$\r$\n各用户的数据（%LOCALAPPDATA%\${APP_ID} 中的数据库、备份和日志）已保留；重新安装后即可继续使用。"
  ${EndIf}
FunctionEnd
