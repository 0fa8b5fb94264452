import type { IconElement } from '@backstage/frontend-plugin-api';
import AccountCircle from '@material-ui/icons/AccountCircle';
import AccountTree from '@material-ui/icons/AccountTree';
import Apps from '@material-ui/icons/Apps';
import Assessment from '@material-ui/icons/Assessment';
import Assignment from '@material-ui/icons/Assignment';
import AssignmentInd from '@material-ui/icons/AssignmentInd';
import AssignmentTurnedIn from '@material-ui/icons/AssignmentTurnedIn';
import BarChart from '@material-ui/icons/BarChart';
import BugReport from '@material-ui/icons/BugReport';
import Build from '@material-ui/icons/Build';
import CallSplit from '@material-ui/icons/CallSplit';
import Category from '@material-ui/icons/Category';
import Chat from '@material-ui/icons/Chat';
import CloudQueue from '@material-ui/icons/CloudQueue';
import CloudUpload from '@material-ui/icons/CloudUpload';
import Code from '@material-ui/icons/Code';
import Dashboard from '@material-ui/icons/Dashboard';
import Description from '@material-ui/icons/Description';
import DeviceHub from '@material-ui/icons/DeviceHub';
import Dns from '@material-ui/icons/Dns';
import EmojiObjects from '@material-ui/icons/EmojiObjects';
import Event from '@material-ui/icons/Event';
import Extension from '@material-ui/icons/Extension';
import FindInPage from '@material-ui/icons/FindInPage';
import Fingerprint from '@material-ui/icons/Fingerprint';
import Flag from '@material-ui/icons/Flag';
import Folder from '@material-ui/icons/Folder';
import Forum from '@material-ui/icons/Forum';
import Gavel from '@material-ui/icons/Gavel';
import Group from '@material-ui/icons/Group';
import GroupWork from '@material-ui/icons/GroupWork';
import HelpOutline from '@material-ui/icons/HelpOutline';
import History from '@material-ui/icons/History';
import Home from '@material-ui/icons/Home';
import Info from '@material-ui/icons/Info';
import Label from '@material-ui/icons/Label';
import LibraryBooks from '@material-ui/icons/LibraryBooks';
import LocalOffer from '@material-ui/icons/LocalOffer';
import Lock from '@material-ui/icons/Lock';
import Memory from '@material-ui/icons/Memory';
import MenuBook from '@material-ui/icons/MenuBook';
import Notifications from '@material-ui/icons/Notifications';
import People from '@material-ui/icons/People';
import Person from '@material-ui/icons/Person';
import PlaylistPlay from '@material-ui/icons/PlaylistPlay';
import Policy from '@material-ui/icons/Policy';
import ReportProblem from '@material-ui/icons/ReportProblem';
import Schedule from '@material-ui/icons/Schedule';
import Search from '@material-ui/icons/Search';
import Security from '@material-ui/icons/Security';
import Settings from '@material-ui/icons/Settings';
import Speed from '@material-ui/icons/Speed';
import Storage from '@material-ui/icons/Storage';
import SupervisorAccount from '@material-ui/icons/SupervisorAccount';
import Sync from '@material-ui/icons/Sync';
import Timeline from '@material-ui/icons/Timeline';
import Timer from '@material-ui/icons/Timer';
import TrackChanges from '@material-ui/icons/TrackChanges';
import Transform from '@material-ui/icons/Transform';
import Tune from '@material-ui/icons/Tune';
import VerifiedUser from '@material-ui/icons/VerifiedUser';
import ViewQuilt from '@material-ui/icons/ViewQuilt';
import Visibility from '@material-ui/icons/Visibility';
import VpnKey from '@material-ui/icons/VpnKey';
import Work from '@material-ui/icons/Work';

/**
 * Material icons addressable by name from nav items (`icon: "Storage"`), registered in the
 * app's IconsApi. Listed explicitly so the bundle only carries the icons in use; a plugin
 * that needs another icon adds it here.
 */
export const racineIcons: Record<string, IconElement> = {
  AccountCircle: <AccountCircle />,
  AccountTree: <AccountTree />,
  Apps: <Apps />,
  Assessment: <Assessment />,
  Assignment: <Assignment />,
  AssignmentInd: <AssignmentInd />,
  AssignmentTurnedIn: <AssignmentTurnedIn />,
  BarChart: <BarChart />,
  BugReport: <BugReport />,
  Build: <Build />,
  CallSplit: <CallSplit />,
  Category: <Category />,
  Chat: <Chat />,
  CloudQueue: <CloudQueue />,
  CloudUpload: <CloudUpload />,
  Code: <Code />,
  Dashboard: <Dashboard />,
  Description: <Description />,
  DeviceHub: <DeviceHub />,
  Dns: <Dns />,
  EmojiObjects: <EmojiObjects />,
  Event: <Event />,
  Extension: <Extension />,
  FindInPage: <FindInPage />,
  Fingerprint: <Fingerprint />,
  Flag: <Flag />,
  Folder: <Folder />,
  Forum: <Forum />,
  Gavel: <Gavel />,
  Group: <Group />,
  GroupWork: <GroupWork />,
  HelpOutline: <HelpOutline />,
  History: <History />,
  Home: <Home />,
  Info: <Info />,
  Label: <Label />,
  LibraryBooks: <LibraryBooks />,
  LocalOffer: <LocalOffer />,
  Lock: <Lock />,
  Memory: <Memory />,
  MenuBook: <MenuBook />,
  Notifications: <Notifications />,
  People: <People />,
  Person: <Person />,
  PlaylistPlay: <PlaylistPlay />,
  Policy: <Policy />,
  ReportProblem: <ReportProblem />,
  Schedule: <Schedule />,
  Search: <Search />,
  Security: <Security />,
  Settings: <Settings />,
  Speed: <Speed />,
  Storage: <Storage />,
  SupervisorAccount: <SupervisorAccount />,
  Sync: <Sync />,
  Timeline: <Timeline />,
  Timer: <Timer />,
  TrackChanges: <TrackChanges />,
  Transform: <Transform />,
  Tune: <Tune />,
  VerifiedUser: <VerifiedUser />,
  ViewQuilt: <ViewQuilt />,
  Visibility: <Visibility />,
  VpnKey: <VpnKey />,
  Work: <Work />,
};
